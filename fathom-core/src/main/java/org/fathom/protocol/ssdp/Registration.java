package org.fathom.protocol.ssdp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The ssdp package declares itself: SSDP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField SSDP_METHOD = MetaField.keep("ssdp.method");
    // server names, software versions and endpoint URLs that may embed an address
    public static final MetaField SSDP_SERVER = MetaField.scrub("ssdp.server");
    public static final MetaField SSDP_TARGET = MetaField.scrub("ssdp.target");
    public static final MetaField SSDP_USER_AGENT = MetaField.scrub("ssdp.user_agent");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SsdpDissector(), ProbeClass.MAGIC));
    }
}
