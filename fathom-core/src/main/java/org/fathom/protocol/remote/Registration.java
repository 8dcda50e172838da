package org.fathom.protocol.remote;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Remote shells: RSH. The package declares itself here: dissectors with their probe placement and
 * the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new RshDissector(), ProbeClass.LOOSE).after("Syslog")); // both claim TCP 514: the port guess is Syslog, as nDPI's
    }
}
