package org.fathom.protocol.rdp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;
import org.fathom.wire.text.Ascii;

/**
 * Remote Desktop Protocol ([MS-RDPBCGR] 2.2.1.1, [MS-RDPEUDP] 2.2.2). Over TCP the client opens
 * with a TPKT (RFC 1006: version 3, reserved 0, length) carrying an X.224 Connection Request
 * (length indicator = TPDU length - 1, code 0xE0, destination reference 0, class 0) whose variable
 * part is RDP's: a {@code Cookie:} line (mstshash or routing token) and/or an RDP_NEG_REQ. A bare
 * request without variable part needs the server's Connection Confirm (0xD0). Over UDP the client's
 * SYN datagram (source ack 0xFFFFFFFF, SYN flag, MTUs 1132..1232) must be answered by a SYN+ACK
 * acknowledging its initial sequence number. Contributes {@code rdp.requested_protocols} (the
 * security protocols flags of RDP_NEG_REQ) when present. The user name of the cookie is not read.
 */
public final class RdpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.both("RDP", "RemoteAccess", new int[] {3389}, new int[] {3389}).withProbeDepth(3);
    private static final RecordFramer.Header TPKT = (b, o) -> {
        int len = ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
        return b[o] == 3 && b[o + 1] == 0 && len >= 11 ? len : -1;
    };

    /** Framing of the TCP messages; only the first request is looked at. */
    private static final FramedState.Framing FRAMING = new FramedState.Framing(4, 512, TPKT, false);

    /** Over TCP the client's first TPKT is framed; over UDP the client's initial sequence number. */
    static final class State extends FramedState {
        boolean bareRequest;
        long udpSeq = -1;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            return connectionRequest(ctx, this, b, off, len, full);
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() == 17) {
            return udp(ctx, fromClient, b, off, len);
        }
        State st = (State) ctx.state();
        if (st == null) {
            if (!fromClient || len < 1 || b[off] != 3) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        if (!fromClient) {
            if (!st.bareRequest) {
                return NEED_MORE;
            }
            // Connection Confirm: TPKT + LI + 0xD0
            return len >= 6 && b[off] == 3 && b[off + 1] == 0 && (b[off + 5] & 0xF0) == 0xD0 ? DONE : NO;
        }
        if (st.records(true) > 0) {
            return NO; // only the first request is looked at
        }
        return st.feed(FRAMING, ctx, true, b, off, len);
    }

    private static int connectionRequest(FlowContext ctx, State st, byte[] b, int o, int n, int full) {
        if (n != full || n < 11) {
            return NO;
        }
        int li = b[o + 4] & 0xFF;
        if (li != n - 5 || (b[o + 5] & 0xFF) != 0xE0 || b[o + 6] != 0 || b[o + 7] != 0 || (b[o + 10] & 0xF0) != 0) {
            return NO;
        }
        int p = o + 11;
        int end = o + n;
        if (p == end) {
            st.bareRequest = true;
            return NEED_MORE;
        }
        if (Ascii.startsWith(b, p, end - p, "Cookie: ")) {
            int lf = p;
            while (lf < end && b[lf] != '\n') {
                lf++;
            }
            if (lf == end) {
                return NO;
            }
            p = lf + 1;
        }
        if (p == end) {
            return DONE;
        }
        // RDP_NEG_REQ: type 1, flags, length 8 (LE), requestedProtocols (LE)
        if (end - p >= 8 && b[p] == 1 && b[p + 2] == 8 && b[p + 3] == 0) {
            int proto = (b[p + 4] & 0xFF) | ((b[p + 5] & 0xFF) << 8) | ((b[p + 6] & 0xFF) << 16) | ((b[p + 7] & 0xFF) << 24);
            if ((proto & ~0x1F) == 0) {
                ctx.put(Registration.RDP_REQUESTED_PROTOCOLS.key(), protocols(proto));
                return DONE;
            }
        }
        return p > o + 11 ? DONE : NO; // a cookie line alone is RDP's
    }

    private static java.util.List<String> protocols(int flags) {
        java.util.List<String> l = new java.util.ArrayList<>(4);
        if (flags == 0) {
            l.add("RDP");
        }
        if ((flags & 0x01) != 0) {
            l.add("SSL");
        }
        if ((flags & 0x02) != 0) {
            l.add("HYBRID");
        }
        if ((flags & 0x04) != 0) {
            l.add("RDSTLS");
        }
        if ((flags & 0x08) != 0) {
            l.add("HYBRID_EX");
        }
        if ((flags & 0x10) != 0) {
            l.add("RDSAAD");
        }
        return l;
    }

    private static int udp(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (len < 16) {
            return NO;
        }
        int flags = ((b[off + 6] & 0xFF) << 8) | (b[off + 7] & 0xFF);
        long seq = be32(b, off + 8);
        int up = ((b[off + 12] & 0xFF) << 8) | (b[off + 13] & 0xFF);
        int down = ((b[off + 14] & 0xFF) << 8) | (b[off + 15] & 0xFF);
        boolean mtuOk = up >= 1132 && up <= 1232 && down >= 1132 && down <= 1232;
        if (st == null) {
            // RDPUDP_FLAG_SYN, source ack -1
            if (be32(b, off) != 0xFFFF_FFFFL || (flags & 0x0001) == 0 || (flags & 0x0004) != 0 || !mtuOk) {
                return NO;
            }
            st = new State();
            st.udpSeq = seq;
            ctx.setState(st);
            return NEED_MORE;
        }
        if (fromClient) {
            return NEED_MORE;
        }
        // SYN+ACK acknowledging the client's initial sequence number
        return (flags & 0x0005) == 0x0005 && be32(b, off) == st.udpSeq && mtuOk ? DONE : NO;
    }

    private static long be32(byte[] b, int q) {
        return (((b[q] & 0xFF) << 24) | ((b[q + 1] & 0xFF) << 16) | ((b[q + 2] & 0xFF) << 8) | (b[q + 3] & 0xFF)) & 0xFFFF_FFFFL;
    }
}
