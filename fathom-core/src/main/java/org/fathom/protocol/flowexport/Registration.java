package org.fathom.protocol.flowexport;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Flow and metrics export: NetFlow, sFlow, collectd. The package declares itself here: dissectors
 * with their probe placement and the metadata fields they write (see docs/CLASSIFICATION.md,
 * "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    public static final MetaField NETFLOW_VERSION = MetaField.keep("netflow.version");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new NetFlowDissector(), ProbeClass.STRUCTURE),
                Probe.of(new SflowDissector(), ProbeClass.STRUCTURE),
                Probe.of(new CollectdDissector(), ProbeClass.STRUCTURE));
    }
}
