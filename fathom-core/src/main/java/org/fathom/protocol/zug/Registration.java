package org.fathom.protocol.zug;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The zug package declares itself: the Casper network's Zug consensus datagrams (ZUG), see
 * docs/CLASSIFICATION.md, "Adding a protocol". It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new ZugDissector(), ProbeClass.MAGIC));
    }
}
