package org.fathom.protocol.database;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The database package declares itself: DRDA, Oracle: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new DrdaDissector(), ProbeClass.STRUCTURE),
                Probe.of(new OracleTnsDissector(), ProbeClass.STRUCTURE));
    }
}
