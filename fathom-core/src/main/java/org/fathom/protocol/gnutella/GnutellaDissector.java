package org.fathom.protocol.gnutella;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.http.HttpHead;

/**
 * Gnutella (protocol 0.6, RFC-Gnutella draft) and Gnutella2. TCP: the connection handshake
 * ({@code GNUTELLA CONNECT/0.6}, {@code GNUTELLA/0.6 200}) or a push reply ({@code GIV }); file
 * transfers are HTTP, named Gnutella by {@code HttpDissector} as nDPI does. UDP: a Gnutella message
 * whose 23-byte descriptor header (16-byte GUID, type, TTL, hops, little-endian payload length)
 * announces exactly the rest of the datagram, or a Gnutella2 UDP frame ({@code GND}, flags,
 * sequence, part, count with {@code 1 <= part <= count}, or an 8-byte acknowledgement).
 */
public final class GnutellaDissector implements Dissector {
    private static final Descriptor DESCRIPTOR =
            Descriptor.both("Gnutella", "Download", new int[0], new int[0]).withProbeDepth(2); // no port fallback: 6346 alone says little
    private static final int PREFIX = 20;
    private static final String[] TCP_CLIENT = {"GNUTELLA CONNECT/", "GIV ", "GNUTELLA/0."};
    private static final String[] TCP_SERVER = {"GNUTELLA/0.", "GNUTELLA OK"};

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() == 17) {
            return isUdpMessage(b, off, len) || isG2Frame(b, off, len) ? DONE : NO;
        }
        // TCP: the signature opens either side's stream; a chunk may hold only its beginning
        byte[] held = (byte[]) ctx.state();
        if (held != null) {
            int keep = held.length;
            byte[] joined = java.util.Arrays.copyOf(held, Math.min(PREFIX, keep + len));
            System.arraycopy(b, off, joined, keep, joined.length - keep);
            b = joined;
            off = 0;
            len = joined.length;
        }
        boolean partial = false;
        for (String sig : fromClient ? TCP_CLIENT : TCP_SERVER) {
            if (HttpHead.startsWith(b, off, len, sig)) {
                return DONE;
            }
            partial |= len < sig.length() && HttpHead.agreesWith(b, off, len, sig);
        }
        if (!partial) {
            return NO;
        }
        ctx.setState(java.util.Arrays.copyOfRange(b, off, off + len));
        return NEED_MORE;
    }

    static boolean isUdpMessage(byte[] b, int off, int len) {
        if (len < 23) {
            return false;
        }
        int type = b[off + 16] & 0xFF;
        int ttl = b[off + 17] & 0xFF;
        int hops = b[off + 18] & 0xFF;
        long plen = (b[off + 19] & 0xFF) | ((b[off + 20] & 0xFF) << 8) | ((b[off + 21] & 0xFF) << 16) | ((long) (b[off + 22] & 0xFF) << 24);
        if (plen != len - 23 || ttl > 15 || hops > 15 || ttl + hops > 16) {
            return false;
        }
        return switch (type) {
            // ping without payload: only with the "modern servent" GUID marks, 23 bytes say too little
            case 0x00 -> plen > 0 || ((b[off + 8] & 0xFF) == 0xFF && (b[off + 15] & 0xFF) <= 1);
            // pong, bye, route table update, vendor messages, push, DHT (Mojito), query, query hit
            case 0x01, 0x02, 0x30, 0x31, 0x32, 0x40, 0x44, 0x80, 0x81 -> plen > 0;
            default -> false;
        };
    }

    static boolean isG2Frame(byte[] b, int off, int len) {
        if (len < 8 || b[off] != 'G' || b[off + 1] != 'N' || b[off + 2] != 'D') {
            return false;
        }
        int part = b[off + 6] & 0xFF;
        int count = b[off + 7] & 0xFF;
        if (count == 0) {
            return len == 8; // acknowledgement
        }
        return part >= 1 && part <= count && len > 8;
    }
}
