package org.fathom.protocol.hots;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The hots package declares itself: Heroes of the Storm's game datagrams (Heroes_of_the_Storm),
 * see docs/CLASSIFICATION.md, "Adding a protocol". It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new HeroesOfTheStormDissector(), ProbeClass.STRUCTURE));
    }
}
