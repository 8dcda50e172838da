package org.fathom.protocol.snmp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The snmp package declares itself: SNMP: dissectors with their probe placement and the metadata
 * fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField SNMP_PDU = MetaField.keep("snmp.pdu");
    public static final MetaField SNMP_VERSION = MetaField.keep("snmp.version");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new SnmpDissector(), ProbeClass.STRUCTURE));
    }
}
