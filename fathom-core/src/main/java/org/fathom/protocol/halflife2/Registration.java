package org.fathom.protocol.halflife2;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The halflife2 package declares itself: the Source engine's connect handshake (HalfLife2), see
 * docs/CLASSIFICATION.md, "Adding a protocol". It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new HalfLife2Dissector(), ProbeClass.MAGIC));
    }
}
