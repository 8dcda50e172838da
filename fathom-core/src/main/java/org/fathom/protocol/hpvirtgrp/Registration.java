package org.fathom.protocol.hpvirtgrp;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The hpvirtgrp package declares itself: nDPI's HP_VIRTGRP framing (see docs/CLASSIFICATION.md,
 * "Adding a protocol"). It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new HpVirtGrpDissector(), ProbeClass.STRUCTURE));
    }
}
