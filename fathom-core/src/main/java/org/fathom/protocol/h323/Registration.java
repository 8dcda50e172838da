package org.fathom.protocol.h323;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The h323 package declares itself: H323: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField H323_MESSAGE = MetaField.keep("h323.message");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new H323Dissector(), ProbeClass.STRUCTURE));
    }
}
