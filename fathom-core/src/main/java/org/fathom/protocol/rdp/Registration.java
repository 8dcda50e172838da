package org.fathom.protocol.rdp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The rdp package declares itself: RDP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField RDP_REQUESTED_PROTOCOLS = MetaField.keep("rdp.requested_protocols");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new RdpDissector(), ProbeClass.STRUCTURE));
    }
}
