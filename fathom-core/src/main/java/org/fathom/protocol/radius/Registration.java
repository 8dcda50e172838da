package org.fathom.protocol.radius;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The radius package declares itself: Radius: dissectors with their probe placement and the
 * metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField RADIUS_CODE = MetaField.keep("radius.code");

    @Override
    public List<Probe> probes() {
        // loose: code, identifier and a length that fills the packet is also a TPKT header (RDP, H.323,
        // S7 and MMS on TCP, S7Comm's dissector recognises the last two): asked after them
        return List.of(Probe.of(new RadiusDissector(), ProbeClass.LOOSE).after("S7Comm"));
    }
}
