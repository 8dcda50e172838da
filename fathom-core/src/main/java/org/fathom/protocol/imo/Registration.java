package org.fathom.protocol.imo;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The imo package declares itself: imo.im calls over UDP (IMO), see docs/CLASSIFICATION.md,
 * "Adding a protocol". It decides from a run of datagrams, so it is statistical; it writes no
 * metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        // RTP stays the last probe of all (its run of packets decides on any datagram)
        return List.of(Probe.of(new ImoDissector(), ProbeClass.STATISTICAL).before("RTP"));
    }
}
