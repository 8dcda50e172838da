package org.fathom.protocol.dhcp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * DHCPv6 (RFC 8415) on UDP 546/547: a known message type, then options (code, length) that tile
 * the rest of the datagram exactly; relay messages have their 34-byte header first. Metadata:
 * {@code dhcpv6.message_type}. With events ({@code --events}), every message of the flow is read
 * and reported: one {@code dhcp} event per message ({@link #event}).
 */
public final class Dhcpv6Dissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("DHCPV6", "Network", 546, 547).withProbeDepth(2);
    private static final String[] TYPES = {
        null, "SOLICIT", "ADVERTISE", "REQUEST", "CONFIRM", "RENEW", "REBIND", "REPLY", "RELEASE", "DECLINE",
        "RECONFIGURE", "INFORMATION-REQUEST", "RELAY-FORW", "RELAY-REPL",
    };

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        boolean onPort = ctx.serverPort() == 547 || ctx.clientPort() == 547 || ctx.serverPort() == 546 || ctx.clientPort() == 546;
        // with events, a flow once matched stays so: a message that does not parse is passed over
        int no = ctx.state() != null ? MATCH : NO;
        if (!onPort || len < 4) {
            return no;
        }
        int type = b[off] & 0xFF;
        if (type < 1 || type > 13) {
            return no;
        }
        int p = off + (type >= 12 ? 34 : 4);
        int end = off + len;
        if (p > end) {
            return no;
        }
        int options = 0;
        while (p < end) {
            if (p + 4 > end) {
                return no;
            }
            int l = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            p += 4 + l;
            options++;
        }
        if (p != end || options == 0) {
            return no;
        }
        if (ctx.transactions()) {
            if (ctx.state() == null) {
                ctx.setState(new DhcpEvents());
                ctx.put(Registration.DHCPV6_MESSAGE_TYPE.key(), TYPES[type]);
            }
            event(ctx, (DhcpEvents) ctx.state(), b, off, end, type);
            return MATCH;   // every message is an event
        }
        ctx.put(Registration.DHCPV6_MESSAGE_TYPE.key(), TYPES[type]);
        return DONE;
    }

    /**
     * One {@code dhcp} event of a DHCPv6 message (its options already known to tile
     * {@code b[off..end)}): message type, transaction id (relay messages have none), the Option
     * Request option's codes ({@code dhcp.requested_options}), the first vendor class datum, the
     * client FQDN ({@code dhcp.hostname}, DROP), the first IA_NA address ({@code dhcp.assigned_ip},
     * SCRUB) and its valid lifetime ({@code dhcp.lease_time}); a reply in the flow of its request
     * gets {@code dhcp.response_ms}.
     */
    private static void event(FlowContext ctx, DhcpEvents st, byte[] b, int off, int end, int type) {
        boolean relay = type >= 12;
        long xid = relay ? -1 : (b[off + 1] & 0xFFL) << 16 | (b[off + 2] & 0xFFL) << 8 | (b[off + 3] & 0xFFL);
        // ADVERTISE, REPLY and RECONFIGURE come from servers; RELAY-REPL from relays
        boolean reply = type == 2 || type == 7 || type == 10 || type == 13;
        Double ms = null;
        if (!relay) {
            if (reply) {
                ms = st.reply(ctx, xid);
            } else {
                st.request(ctx, xid);
            }
        }
        java.util.Map<String, Object> m = DhcpEvents.fields(TYPES[type], relay ? null : DhcpEvents.hex(xid, 6));
        for (int p = off + (relay ? 34 : 4); p + 4 <= end; ) {
            int code = u16(b, p);
            int l = u16(b, p + 2);
            int v = p + 4;
            p = v + l;
            if (p > end) {
                break;
            }
            if (code == 6 && l >= 2) {
                StringBuilder sb = new StringBuilder(3 * l);
                for (int i = 0; i + 1 < l; i += 2) {
                    sb.append(i == 0 ? "" : ",").append(u16(b, v + i));
                }
                m.put(Registration.DHCP_REQUESTED_OPTIONS.key(), sb.toString());
            } else if (code == 16 && l >= 6 && !m.containsKey(Registration.DHCP_VENDOR_CLASS.key())) {
                int dl = u16(b, v + 4);
                if (dl > 0 && v + 6 + dl <= p) {
                    m.put(Registration.DHCP_VENDOR_CLASS.key(), text(b, v + 6, dl));
                }
            } else if (code == 39 && l >= 2) {
                m.put(Registration.DHCP_HOSTNAME.key(), name(b, v + 1, p));
            } else if (code == 3 && l >= 12 && !m.containsKey(Registration.DHCP_ASSIGNED_IP.key())) {
                for (int q = v + 12; q + 4 <= p; ) {
                    int sc = u16(b, q);
                    int sl = u16(b, q + 2);
                    if (q + 4 + sl > p) {
                        break;
                    }
                    if (sc == 5 && sl >= 24) {
                        long hi = 0;
                        long lo = 0;
                        for (int i = 0; i < 8; i++) {
                            hi = hi << 8 | (b[q + 4 + i] & 0xFFL);
                            lo = lo << 8 | (b[q + 12 + i] & 0xFFL);
                        }
                        m.put(Registration.DHCP_ASSIGNED_IP.key(), org.fathom.net.Addresses.format(hi, lo));
                        m.put(Registration.DHCP_LEASE_TIME.key(), (long) u16(b, q + 24) << 16 | u16(b, q + 26));
                        break;
                    }
                    q += 4 + sl;
                }
            }
        }
        m.put(Registration.DHCP_RESPONSE_MS.key(), ms);
        ctx.transaction("dhcp", m);
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    /** Printable ASCII of {@code b[p..p+n)} (others as {@code ?}). */
    private static String text(byte[] b, int p, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int c = b[p + i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return sb.toString();
    }

    /** A DNS name in wire format (RFC 1035 labels, no compression) in {@code b[p..end)}, dotted; a partial name as far as it reads. */
    private static String name(byte[] b, int p, int end) {
        StringBuilder sb = new StringBuilder();
        while (p < end) {
            int l = b[p] & 0xFF;
            if (l == 0 || l > 63 || p + 1 + l > end) {
                break;
            }
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(text(b, p + 1, l));
            p += 1 + l;
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
