package org.fathom.protocol.gtp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The gtp package declares itself: GTP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField GTP_MESSAGE_TYPE = MetaField.keep("gtp.message_type");
    public static final MetaField GTP_VERSION = MetaField.keep("gtp.version");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new GtpDissector(), ProbeClass.STRUCTURE));
    }
}
