package org.fathom.protocol.middleware;

import java.util.List;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The middleware package declares itself: HAProxy, Corba, RTPS, OpenWire: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new ProxyProtocolDissector(), ProbeClass.MAGIC).before("HTTP"),
                Probe.of(new GiopDissector(), ProbeClass.MAGIC),
                Probe.of(new RtpsDissector(), ProbeClass.MAGIC),
                Probe.of(new OpenWireDissector(), ProbeClass.MAGIC));
    }
}
