package org.fathom.protocol.telephony;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * Telephony signalling, AAA and SMS: SMPP, Diameter, BFCP, Megaco, MGCP, CiscoSkinny. The package
 * declares itself here: dissectors with their probe placement and the metadata fields they write
 * (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    public static final MetaField DIAMETER_COMMAND = MetaField.keep("diameter.command");
    public static final MetaField SMPP_VERSION = MetaField.keep("smpp.version");
    public static final MetaField SMPP_USER = MetaField.drop("smpp.user");
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField MGCP_COMMAND = MetaField.keep("mgcp.command");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new SmppDissector(), ProbeClass.STRUCTURE),
                Probe.of(new DiameterDissector(), ProbeClass.STRUCTURE),
                Probe.of(new BfcpDissector(), ProbeClass.STRUCTURE),
                Probe.of(new MegacoDissector(), ProbeClass.MAGIC),
                Probe.of(new MgcpDissector(), ProbeClass.MAGIC),
                Probe.of(new SkinnyDissector(), ProbeClass.STRUCTURE));
    }
}
