package org.fathom.protocol.clickhouse;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The clickhouse package declares itself: ClickHouse's native TCP protocol (see
 * docs/CLASSIFICATION.md, "Adding a protocol"; its HTTP interface is named by the http package).
 * It writes no metadata.
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new ClickHouseDissector(), ProbeClass.STRUCTURE));
    }
}
