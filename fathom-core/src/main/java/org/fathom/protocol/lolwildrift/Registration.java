package org.fathom.protocol.lolwildrift;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The lolwildrift package declares itself: League of Legends: Wild Rift's UDP probe and handshake
 * (LoLWildRift), see docs/CLASSIFICATION.md, "Adding a protocol". It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new LoLWildRiftDissector(), ProbeClass.STRUCTURE));
    }
}
