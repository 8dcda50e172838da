package org.fathom.protocol.smb;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The smb package declares itself: SMBv23: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField SMB_VERSION = MetaField.keep("smb.version");
    // SMB2 and NTLM events: the share path is treated as a URL, user and workstation names as
    // user and host names, the domain as a realm (NTLM in HTTP Authorization writes the same keys)
    public static final MetaField SMB_COMMAND = MetaField.keep("smb.command");
    public static final MetaField SMB_STATUS = MetaField.keep("smb.status");
    public static final MetaField SMB_DIALECT = MetaField.keep("smb.dialect");
    public static final MetaField SMB_SHARE_TYPE = MetaField.keep("smb.share_type");
    public static final MetaField SMB_TREE = MetaField.drop("smb.tree");
    public static final MetaField NTLM_USER = MetaField.drop("ntlm.user");
    public static final MetaField NTLM_WORKSTATION = MetaField.drop("ntlm.workstation");
    public static final MetaField NTLM_DOMAIN = MetaField.scrub("ntlm.domain");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SmbDissector(), ProbeClass.MAGIC));
    }
}
