package org.fathom.protocol.peer;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The peer package declares itself: Dropbox, Spotify, Syncthing, Monero, BITCOIN, eDonkey, Mining: dissectors with their probe
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
