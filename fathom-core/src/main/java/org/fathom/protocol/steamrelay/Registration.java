package org.fathom.protocol.steamrelay;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Steam Datagram Relay (SteamDatagramRelay): the relay ping's message id and marker. The package
 * declares itself here: dissectors with their probe placement and the metadata fields they write
 * (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SteamDatagramRelayDissector(), ProbeClass.MAGIC));
    }
}
