package org.fathom.protocol.sip;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The sip package declares itself: SIP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // SIP: users pseudonymised, call ids tokenised
    public static final MetaField SIP_METHOD = MetaField.keep("sip.method");
    public static final MetaField SIP_STATUS = MetaField.keep("sip.status");
    public static final MetaField SIP_CALL_ID = MetaField.token("sip.call_id");
    public static final MetaField SIP_FROM = MetaField.userUri("sip.from");
    public static final MetaField SIP_TO = MetaField.userUri("sip.to");
    public static final MetaField SIP_CONTACT = MetaField.userUri("sip.contact");
    public static final MetaField SIP_USER_AGENT = MetaField.scrub("sip.user_agent");
    // events of line protocols: commands and replies are protocol facts; arguments that
    // name people (user names, mailbox addresses, file names) are treated as in flows
    public static final MetaField SIP_CSEQ = MetaField.keep("sip.cseq");
    public static final MetaField SIP_CSEQ_METHOD = MetaField.keep("sip.cseq_method");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SipDissector(), ProbeClass.MAGIC));
    }
}
