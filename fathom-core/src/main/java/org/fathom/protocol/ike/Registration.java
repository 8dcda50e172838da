package org.fathom.protocol.ike;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The ike package declares itself: IPSec: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField IPSEC_IKE_VERSION = MetaField.keep("ipsec.ike_version");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new IkeDissector(), ProbeClass.STRUCTURE));
    }
}
