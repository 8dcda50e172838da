package org.fathom.protocol.stun;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The stun package declares itself: STUN: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField STUN_CLASS = MetaField.keep("stun.class");
    public static final MetaField STUN_METHOD = MetaField.keep("stun.method");
    // server names, software versions and endpoint URLs that may embed an address
    public static final MetaField STUN_SOFTWARE = MetaField.scrub("stun.software");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new StunDissector(), ProbeClass.MAGIC));
    }
}
