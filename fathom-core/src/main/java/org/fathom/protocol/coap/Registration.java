package org.fathom.protocol.coap;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The coap package declares itself: COAP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField COAP_CODE = MetaField.keep("coap.code");
    public static final MetaField COAP_TYPE = MetaField.keep("coap.type");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new CoapDissector(), ProbeClass.LOOSE));
    }
}
