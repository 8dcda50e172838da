package org.fathom.protocol.spotify;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Spotify's access-point protocol over TCP (Spotify; its UDP LAN discovery is in p2p): version 00
 * 04, a length and the hello's first protobuf tag. The package declares itself here: dissectors
 * with their probe placement and the metadata fields they write (see docs/CLASSIFICATION.md,
 * "Adding a protocol").
 */
public final class Registration implements ProtocolModule {

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SpotifyApDissector(), ProbeClass.STRUCTURE));
    }
}
