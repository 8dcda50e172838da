package org.fathom.protocol.smb;

import java.util.LinkedHashMap;
import org.fathom.protocol.FlowContext;

/** The one {@code smb} event both SMB versions report (docs/EVENTS.md): the same fields, in the same order. */
final class SmbEvent {
    private SmbEvent() {}

    /**
     * Reports one command: {@code status} below 0 when there is none to report (no response, or a
     * DOS error class); any other value may be null.
     */
    static void emit(FlowContext ctx, String command, long status, String dialect, Ntlm.Authenticate auth, String tree,
                     String shareType) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put(Registration.SMB_COMMAND.key(), command);
        if (status >= 0) {
            m.put(Registration.SMB_STATUS.key(), String.format("0x%08x", status));
        }
        m.put(Registration.SMB_DIALECT.key(), dialect);
        if (auth != null) {
            m.put(Registration.NTLM_USER.key(), auth.user());
            m.put(Registration.NTLM_DOMAIN.key(), auth.domain());
            m.put(Registration.NTLM_WORKSTATION.key(), auth.workstation());
        }
        m.put(Registration.SMB_TREE.key(), tree);
        m.put(Registration.SMB_SHARE_TYPE.key(), shareType);   // null values are left out of the event
        ctx.transaction("smb", m);
    }
}
