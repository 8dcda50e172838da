package org.fathom.protocol.vnc;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The vnc package declares itself: VNC: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField VNC_CLIENT_VERSION = MetaField.keep("vnc.client_version");
    public static final MetaField VNC_SERVER_VERSION = MetaField.keep("vnc.server_version");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new VncDissector(), ProbeClass.MAGIC));
    }
}
