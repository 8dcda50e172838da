package org.fathom.protocol.crynet;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The crynet package declares itself: CryEngine's network layer (CryNetwork), see
 * docs/CLASSIFICATION.md, "Adding a protocol". It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new CryNetworkDissector(), ProbeClass.MAGIC));
    }
}
