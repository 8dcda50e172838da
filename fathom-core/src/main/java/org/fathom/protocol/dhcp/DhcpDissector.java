package org.fathom.protocol.dhcp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * DHCP (RFC 2131, options RFC 2132): a BOOTP message (op 1 or 2, hardware address length at most
 * 16) with the magic cookie {@code 99.130.83.99} at offset 236 and options that run to their end.
 * Metadata: {@code dhcp.message_type}, {@code dhcp.hostname} (option 12),
 * {@code dhcp.vendor_class} (option 60). Later packets of the flow (request after discover) are
 * read for the fields the first lacked.
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
            }
            p += 2 + l;
        }
        if (!matched) {
            ctx.setState(Boolean.TRUE);
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
        return ctx.get(Registration.DHCP_HOSTNAME.key()) != null && ctx.get(Registration.DHCP_VENDOR_CLASS.key()) != null ? DONE : MATCH;
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
