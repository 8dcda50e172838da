package org.fathom.protocol.telephony;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The telephony package declares itself: Megaco, MGCP, CiscoSkinny: dissectors with their probe
 * placement and the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField MGCP_COMMAND = MetaField.keep("mgcp.command");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new MegacoDissector(), ProbeClass.MAGIC),
                Probe.of(new MgcpDissector(), ProbeClass.MAGIC),
                Probe.of(new SkinnyDissector(), ProbeClass.STRUCTURE));
    }
}
