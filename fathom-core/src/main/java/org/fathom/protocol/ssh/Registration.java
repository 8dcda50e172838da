package org.fathom.protocol.ssh;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The ssh package declares itself: SSH: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // SSH
    public static final MetaField SSH_CLIENT_BANNER = MetaField.keep("ssh.client_banner");
    public static final MetaField SSH_SERVER_BANNER = MetaField.keep("ssh.server_banner");
    public static final MetaField SSH_HASSH = MetaField.keep("ssh.hassh");
    public static final MetaField SSH_HASSH_SERVER = MetaField.keep("ssh.hassh_server");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SshDissector(), ProbeClass.MAGIC));
    }
}
