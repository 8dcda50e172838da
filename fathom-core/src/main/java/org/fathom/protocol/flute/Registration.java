package org.fathom.protocol.flute;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * FLUTE: the whole LCT header and the FDT extension. The package declares itself here: dissectors
 * with their probe placement and the metadata fields they write (see docs/CLASSIFICATION.md,
 * "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts
    public static final MetaField FLUTE_FDT_INSTANCE = MetaField.keep("flute.fdt_instance");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new FluteDissector(), ProbeClass.STRUCTURE));
    }
}
