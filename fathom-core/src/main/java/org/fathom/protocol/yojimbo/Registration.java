package org.fathom.protocol.yojimbo;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The yojimbo package declares itself: netcode.io, the secure UDP connection protocol yojimbo
 * runs on (nDPI's Yojimbo), see docs/CLASSIFICATION.md, "Adding a protocol". It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new YojimboDissector(), ProbeClass.MAGIC));
    }
}
