package org.fathom.protocol.noe;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The noe package declares itself: Alcatel-Lucent's New Office Environment signalling carried in
 * UA/UDP, see docs/CLASSIFICATION.md, "Adding a protocol". It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new NoeDissector(), ProbeClass.STRUCTURE));
    }
}
