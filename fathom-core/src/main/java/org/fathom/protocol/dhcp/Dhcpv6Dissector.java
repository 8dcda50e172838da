package org.fathom.protocol.dhcp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * DHCPv6 (RFC 8415) on UDP 546/547: a known message type, then options (code, length) that tile
 * the rest of the datagram exactly; relay messages have their 34-byte header first. Metadata:
 * {@code dhcpv6.message_type}.
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
        if (!onPort || len < 4) {
            return NO;
        }
        int type = b[off] & 0xFF;
        if (type < 1 || type > 13) {
            return NO;
        }
        int p = off + (type >= 12 ? 34 : 4);
        int end = off + len;
        if (p > end) {
            return NO;
        }
        int options = 0;
        while (p < end) {
            if (p + 4 > end) {
                return NO;
            }
            int l = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            p += 4 + l;
            options++;
        }
        if (p != end || options == 0) {
            return NO;
        }
        ctx.put(Registration.DHCPV6_MESSAGE_TYPE.key(), TYPES[type]);
        return DONE;
    }
}
