package org.fathom.protocol.dhcp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * DHCP (RFC 2131, options RFC 2132): a BOOTP message (op 1 or 2, hardware address length at most
 * 16) with the magic cookie {@code 99.130.83.99} at offset 236 and options that run to their end.
 * Metadata: {@code dhcp.message_type}, {@code dhcp.hostname} (option 12),
 * {@code dhcp.vendor_class} (option 60). Later packets of the flow (request after discover) are
 * read for the fields the first lacked. With events ({@code --events}), every message of the flow
 * is read and reported ({@link #event}): one {@code dhcp} event per message.
 */
public final class DhcpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("DHCP", "Network", 67, 68).withProbeDepth(2);
    private static final String[] TYPES = {
        null, "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM",
        "FORCERENEW", "LEASEQUERY", "LEASEUNASSIGNED", "LEASEUNKNOWN", "LEASEACTIVE",
    };

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        boolean matched = ctx.state() != null;
        if (len < 240) {
            return matched ? MATCH : NO;
        }
        int op = b[off] & 0xFF;
        int hlen = b[off + 2] & 0xFF;
        if ((op != 1 && op != 2) || hlen > 16 || (b[off + 3] & 0xFF) > 16
                || b[off + 236] != 99 || b[off + 237] != (byte) 130 || b[off + 238] != 83 || b[off + 239] != 99) {
            return matched ? MATCH : NO;
        }
        int p = off + 240;
        int end = off + len;
        String type = null;
        String host = null;
        String vendor = null;
        boolean events = ctx.transactions();
        long lease = -1;
        String params = null;
        while (p < end) {
            int code = b[p] & 0xFF;
            if (code == 0) {
                p++;
                continue;
            }
            if (code == 255) {
                break;
            }
            if (p + 2 > end) {
                return matched ? MATCH : NO;
            }
            int l = b[p + 1] & 0xFF;
            if (p + 2 + l > end) {
                return matched ? MATCH : NO;
            }
            if (code == 53 && l == 1) {
                int t = b[p + 2] & 0xFF;
                type = t < TYPES.length && TYPES[t] != null ? TYPES[t] : Integer.toString(t);
            } else if (code == 12 && l > 0) {
                host = text(b, p + 2, l);
            } else if (code == 60 && l > 0) {
                vendor = text(b, p + 2, l);
            } else if (events && code == 51 && l == 4) {
                lease = u32(b, p + 2);
            } else if (events && code == 55 && l > 0) {
                StringBuilder sb = new StringBuilder(4 * l);
                for (int i = 0; i < l; i++) {
                    sb.append(i == 0 ? "" : ",").append(b[p + 2 + i] & 0xFF);
                }
                params = sb.toString();
            }
            p += 2 + l;
        }
        if (!matched) {
            ctx.setState(events ? new DhcpEvents() : Boolean.TRUE);
        }
        if (ctx.get(Registration.DHCP_MESSAGE_TYPE.key()) == null) {
            ctx.put(Registration.DHCP_MESSAGE_TYPE.key(), type != null ? type : "BOOTP");
        }
        if (host != null && ctx.get(Registration.DHCP_HOSTNAME.key()) == null) {
            ctx.put(Registration.DHCP_HOSTNAME.key(), host);
        }
        if (vendor != null && ctx.get(Registration.DHCP_VENDOR_CLASS.key()) == null) {
            ctx.put(Registration.DHCP_VENDOR_CLASS.key(), vendor);
        }
        if (events && ctx.state() instanceof DhcpEvents st) {
            event(ctx, st, b, off, op, type != null ? type : "BOOTP", host, vendor, lease, params);
            return MATCH;   // every message is an event
        }
        return ctx.get(Registration.DHCP_HOSTNAME.key()) != null && ctx.get(Registration.DHCP_VENDOR_CLASS.key()) != null ? DONE : MATCH;
    }

    /**
     * One {@code dhcp} event: the message type, transaction id, and what the message carries of
     * host name (DROP), vendor class, parameter request list (the client's fingerprint), lease
     * time, client hardware address (Ethernet only; DROP) and the address offered or assigned
     * ({@code yiaddr}, the subscriber's address: SCRUB); a reply in the flow of its request gets
     * {@code dhcp.response_ms}.
     */
    private static void event(FlowContext ctx, DhcpEvents st, byte[] b, int off, int op, String type, String host, String vendor,
            long lease, String params) {
        long xid = u32(b, off + 4);
        Double ms = op == 1 ? null : st.reply(ctx, xid);
        if (op == 1) {
            st.request(ctx, xid);
        }
        java.util.Map<String, Object> m = DhcpEvents.fields(type, DhcpEvents.hex(xid, 8));
        m.put(Registration.DHCP_HOSTNAME.key(), host);
        m.put(Registration.DHCP_VENDOR_CLASS.key(), vendor);
        m.put(Registration.DHCP_REQUESTED_OPTIONS.key(), params);
        if (lease >= 0) {
            m.put(Registration.DHCP_LEASE_TIME.key(), lease);
        }
        if ((b[off + 1] & 0xFF) == 1 && (b[off + 2] & 0xFF) == 6) {
            m.put(Registration.DHCP_CLIENT_MAC.key(), String.format("%02x:%02x:%02x:%02x:%02x:%02x", b[off + 28], b[off + 29],
                    b[off + 30], b[off + 31], b[off + 32], b[off + 33]));
        }
        if (b[off + 16] != 0 || b[off + 17] != 0 || b[off + 18] != 0 || b[off + 19] != 0) {
            m.put(Registration.DHCP_ASSIGNED_IP.key(), (b[off + 16] & 0xFF) + "." + (b[off + 17] & 0xFF) + "." + (b[off + 18] & 0xFF) + "."
                    + (b[off + 19] & 0xFF));
        }
        m.put(Registration.DHCP_RESPONSE_MS.key(), ms);
        ctx.transaction("dhcp", m);
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
    }

    private static String text(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            int c = b[off + i] & 0xFF;
            if (c == 0) {
                break;
            }
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return sb.toString();
    }
}
