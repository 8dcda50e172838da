package org.fathom.protocol.middleware;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * RPC and object middleware, and the PROXY protocol header that precedes proxied bytes: JRMI,
 * Thrift, SOMEIP, HAProxy, Corba, RTPS, OpenWire. The package declares itself here: dissectors
 * with their probe placement and the metadata fields they write (see docs/CLASSIFICATION.md,
 * "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    public static final MetaField THRIFT_METHOD = MetaField.keep("thrift.method");
    public static final MetaField SOMEIP_SD = MetaField.keep("someip.sd");
    public static final MetaField SOMEIP_SERVICE_ID = MetaField.keep("someip.service_id");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new JrmiDissector(), ProbeClass.MAGIC),
                Probe.of(new ThriftDissector(), ProbeClass.MAGIC),
                Probe.of(new SomeIpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new ProxyProtocolDissector(), ProbeClass.MAGIC).before("HTTP"),
                Probe.of(new GiopDissector(), ProbeClass.MAGIC),
                Probe.of(new RtpsDissector(), ProbeClass.MAGIC),
                Probe.of(new OpenWireDissector(), ProbeClass.MAGIC));
    }
}
