package org.fathom.protocol.raft;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The raft package declares itself: the TCP transport of the canonical/raft C library (dqlite,
 * LXD), nDPI's Raft, see docs/CLASSIFICATION.md, "Adding a protocol". It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new RaftDissector(), ProbeClass.STRUCTURE));
    }
}
