package org.fathom.protocol.p2p;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Peer-to-peer networks, cryptocurrencies and LAN sync discovery: Dropbox, Spotify, Syncthing,
 * Monero, BITCOIN, Mining, eDonkey. The package declares itself here: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(LanDiscoveryDissector.dropbox(), ProbeClass.MAGIC),
                Probe.of(LanDiscoveryDissector.spotify(), ProbeClass.MAGIC),
                Probe.of(LanDiscoveryDissector.syncthing(), ProbeClass.MAGIC),
                Probe.of(CryptoCurrencyDissector.monero(), ProbeClass.MAGIC),
                Probe.of(CryptoCurrencyDissector.bitcoin(), ProbeClass.MAGIC),
                Probe.of(new EdonkeyDissector(), ProbeClass.STRUCTURE),
                Probe.of(CryptoCurrencyDissector.mining(), ProbeClass.MAGIC));
    }
}
