package org.fathom.protocol.socks;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The socks package declares itself: SOCKS: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField SOCKS_VERSION = MetaField.keep("socks.version");
    // server names a client asked for (like http.host)
    public static final MetaField SOCKS_HOST = MetaField.scrub("socks.host");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SocksDissector(), ProbeClass.LOOSE));
    }
}
