package org.fathom.protocol.fileshare;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * File sharing and distributed file systems: RX, AFP. The package declares itself here: dissectors
 * with their probe placement and the metadata fields they write (see docs/CLASSIFICATION.md,
 * "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    public static final MetaField RX_PACKET_TYPE = MetaField.keep("rx.packet_type");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new RxDissector(), ProbeClass.STRUCTURE),
                Probe.of(new AfpDissector(), ProbeClass.STRUCTURE));
    }
}
