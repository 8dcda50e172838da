package org.fathom.protocol.quic;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The quic package declares itself: QUIC: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // TLS and QUIC: server identity and client software fingerprints
    public static final MetaField QUIC_VERSION = MetaField.keep("quic.version");
    public static final MetaField QUIC_SNI = MetaField.scrub("quic.sni");
    // server names, software versions and endpoint URLs that may embed an address
    public static final MetaField QUIC_USER_AGENT = MetaField.scrub("quic.user_agent");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new QuicDissector(), ProbeClass.MAGIC));
    }
}
