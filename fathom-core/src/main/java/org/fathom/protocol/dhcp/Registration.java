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
    // DHCP events (DHCPv4 and v6, one per message): protocol facts and the client's parameter
    // request list (a software fingerprint, like a JA3) are kept; the hardware address is a
    // device identifier (MAC addresses are never written); the address offered or assigned is
    // the subscriber's address, pseudonymised as src_ip/dst_ip are (SCRUB replaces a subscriber
    // address literal by its pseudonym and keeps others)
    public static final MetaField DHCP_XID = MetaField.keep("dhcp.xid");
    public static final MetaField DHCP_LEASE_TIME = MetaField.keep("dhcp.lease_time");
    public static final MetaField DHCP_REQUESTED_OPTIONS = MetaField.keep("dhcp.requested_options");
    public static final MetaField DHCP_RESPONSE_MS = MetaField.keep("dhcp.response_ms");
    public static final MetaField DHCP_CLIENT_MAC = MetaField.drop("dhcp.client_mac");
    public static final MetaField DHCP_ASSIGNED_IP = MetaField.scrub("dhcp.assigned_ip");
    // the long tail: protocol facts (message types, versions, function codes, device addresses of industrial buses)
    public static final MetaField DHCPV6_MESSAGE_TYPE = MetaField.keep("dhcpv6.message_type");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new DhcpDissector(), ProbeClass.MAGIC),
                Probe.of(new Dhcpv6Dissector(), ProbeClass.STRUCTURE));
    }
}
