package org.fathom.protocol.slp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The slp package declares itself: Service_Location_Protocol: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField SLP_FUNCTION = MetaField.keep("slp.function");
    public static final MetaField SLP_VERSION = MetaField.keep("slp.version");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SlpDissector(), ProbeClass.STRUCTURE));
    }
}
