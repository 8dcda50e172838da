package org.fathom.protocol.radius;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * RADIUS (RFC 2865, 2866, 5176) over UDP, and over TCP (RFC 6613) where the same packets follow
 * one another, framed by their Length. A packet is Code (1), Identifier (1), Length (2),
 * Authenticator (16) and attributes (Type, Length &ge; 2, Value) filling Length exactly. Recognised
 * from one packet whose code is assigned, whose length is 20..4096 and fits in the datagram, and
 * whose attributes tile the packet; a bare 20-byte packet (no attributes) is too little structure
 * on its own, so a second one must confirm it. Contributes {@code radius.code} (the message name of
 * the packet that decided).
 */
public final class RadiusDissector implements Dissector {
    private static final int[] PORTS = {1812, 1813, 1645, 1646};
    private static final Descriptor DESCRIPTOR = Descriptor.both("Radius", "Network", PORTS, PORTS).withProbeDepth(3);
    private static final RecordFramer.Header TCP_HEADER = (b, o) -> {
        int l = ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
        return codeName(b[o] & 0xFF) == null || l < 20 || l > 4096 ? -1 : l;
    };

    private static final FramedState.Framing FRAMING = new FramedState.Framing(4, 4096, TCP_HEADER);

    static final class TcpState extends FramedState {
        int packets;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            int v = check(b, off, len);
            if (v < 0) {
                return NO;
            }
            packets++;
            if (v > 0 || packets >= 2) {
                ctx.put(Registration.RADIUS_CODE.key(), codeName(b[off] & 0xFF));
                return DONE;
            }
            return NEED_MORE;
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() == 6) {
            return tcp(ctx, fromClient, b, off, len);
        }
        int v = check(b, off, len);
        if (v < 0) {
            return NO;
        }
        if (v == 0 && ctx.payloadPackets(true) + ctx.payloadPackets(false) < 2) {
            return NEED_MORE; // a packet without attributes: wait for a second valid packet
        }
        ctx.put(Registration.RADIUS_CODE.key(), codeName(b[off] & 0xFF));
        return DONE;
    }

    /** RADIUS over TCP (RFC 6613): the same packets back to back, each one's Length framing it. */
    private static int tcp(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        TcpState st = (TcpState) ctx.state();
        if (st == null) {
            if (len >= 4 && TCP_HEADER.recordLength(b, off) < 0) {
                return NO;
            }
            st = new TcpState();
            ctx.setState(st);
        }
        return st.feed(FRAMING, ctx, fromClient, b, off, len);
    }

    /** -1 not RADIUS, 0 a valid packet without attributes, else the number of attributes. */
    static int check(byte[] b, int off, int len) {
        if (len < 20) {
            return -1;
        }
        int code = b[off] & 0xFF;
        if (codeName(code) == null) {
            return -1;
        }
        int plen = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        if (plen < 20 || plen > 4096 || plen > len) {
            return -1;
        }
        int n = 0;
        int i = off + 20;
        int end = off + plen;
        while (i < end) {
            if (end - i < 2) {
                return -1;
            }
            int type = b[i] & 0xFF;
            int alen = b[i + 1] & 0xFF;
            if (type == 0 || alen < 2 || i + alen > end) {
                return -1;
            }
            i += alen;
            n++;
        }
        // Access-Request must carry attributes (RFC 2865: User-Name or State, NAS address, ...)
        if (code == 1 && n == 0) {
            return -1;
        }
        return n;
    }

    static String codeName(int code) {
        return switch (code) {
            case 1 -> "Access-Request";
            case 2 -> "Access-Accept";
            case 3 -> "Access-Reject";
            case 4 -> "Accounting-Request";
            case 5 -> "Accounting-Response";
            case 11 -> "Access-Challenge";
            case 12 -> "Status-Server";
            case 13 -> "Status-Client";
            case 40 -> "Disconnect-Request";
            case 41 -> "Disconnect-ACK";
            case 42 -> "Disconnect-NAK";
            case 43 -> "CoA-Request";
            case 44 -> "CoA-ACK";
            case 45 -> "CoA-NAK";
            default -> null;
        };
    }
}
