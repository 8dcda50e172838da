package org.fathom.protocol.mongodb;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The mongodb package declares itself: MongoDB: dissectors with their probe placement and the
 * metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new MongoDissector(), ProbeClass.STRUCTURE));
    }
}
