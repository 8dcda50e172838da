package org.fathom.protocol.websocket;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The websocket package declares itself: WebSocket frames seen without their HTTP handshake (see
 * docs/CLASSIFICATION.md, "Adding a protocol"). It decides from a run of frames, so it is
 * statistical; it writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        // RTP stays the last probe of all (its run of packets decides on any datagram)
        return List.of(Probe.of(new WebSocketDissector(), ProbeClass.STATISTICAL).before("RTP"));
    }
}
