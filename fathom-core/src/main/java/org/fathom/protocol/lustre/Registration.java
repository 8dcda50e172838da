package org.fathom.protocol.lustre;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The lustre package declares itself: LNet's socket LND handshakes (see docs/CLASSIFICATION.md,
 * "Adding a protocol"). It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new LustreDissector(), ProbeClass.MAGIC));
    }
}
