package org.fathom.protocol.monitoring;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Monitoring agents and sensors: Munin, CHECKMK, Ceph, Zabbix, Kismet. The package declares itself
 * here: dissectors with their probe placement and the metadata fields they write (see
 * docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(BannerDissector.munin(), ProbeClass.MAGIC),
                Probe.of(BannerDissector.checkmk(), ProbeClass.MAGIC),
                Probe.of(BannerDissector.ceph(), ProbeClass.MAGIC),
                Probe.of(new ZabbixDissector(), ProbeClass.MAGIC),
                Probe.of(new KismetDissector(), ProbeClass.LOOSE));
    }
}
