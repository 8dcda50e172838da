package org.fathom.protocol.dhcp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The dhcp package declares itself: DHCP, DHCPV6: dissectors with their probe placement and the
 * metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // DHCP: host names identify devices and often their owners
    public static final MetaField DHCP_HOSTNAME = MetaField.drop("dhcp.hostname");
    public static final MetaField DHCP_VENDOR_CLASS = MetaField.keep("dhcp.vendor_class");
    public static final MetaField DHCP_MESSAGE_TYPE = MetaField.keep("dhcp.message_type");
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField DHCPV6_MESSAGE_TYPE = MetaField.keep("dhcpv6.message_type");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new DhcpDissector(), ProbeClass.MAGIC),
                Probe.of(new Dhcpv6Dissector(), ProbeClass.STRUCTURE));
    }
}
