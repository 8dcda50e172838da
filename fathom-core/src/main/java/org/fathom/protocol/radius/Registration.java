package org.fathom.protocol.radius;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The radius package declares itself: Radius: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField RADIUS_CODE = MetaField.keep("radius.code");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new RadiusDissector(), ProbeClass.STRUCTURE));
    }
}
