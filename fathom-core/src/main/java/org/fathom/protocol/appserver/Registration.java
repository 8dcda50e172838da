package org.fathom.protocol.appserver;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Web server to application server gateways: AJP, FastCGI. The package declares itself here:
 * dissectors with their probe placement and the metadata fields they write (see
 * docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField AJP_METHOD = MetaField.keep("ajp.method");
    // server names, software versions and endpoint URLs that may embed an address
    public static final MetaField AJP_SERVER_NAME = MetaField.scrub("ajp.server_name");
    public static final MetaField FASTCGI_HOST = MetaField.scrub("fastcgi.host");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new AjpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new FastCgiDissector(), ProbeClass.STRUCTURE));
    }
}
