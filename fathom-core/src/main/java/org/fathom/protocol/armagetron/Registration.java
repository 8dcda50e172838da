package org.fathom.protocol.armagetron;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The armagetron package declares itself: Armagetron Advanced's UDP game and server-browser
 * datagrams, see docs/CLASSIFICATION.md, "Adding a protocol". It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new ArmagetronDissector(), ProbeClass.STRUCTURE));
    }
}
