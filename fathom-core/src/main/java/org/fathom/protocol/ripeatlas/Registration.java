package org.fathom.protocol.ripeatlas;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The ripeatlas package declares itself: RipeAtlas's reachability probes (see
 * docs/CLASSIFICATION.md, "Adding a protocol"). It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new RipeAtlasDissector(), ProbeClass.MAGIC));
    }
}
