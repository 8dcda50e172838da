package org.fathom.protocol.openvpn;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * OpenVPN's own protocol (openvpn/src/openvpn/ssl_pkt.h, "OpenVPN protocol" in the manual): each
 * packet starts with a byte of opcode (high 5 bits) and key id (low 3), and control packets carry
 * the sender's 8-byte session id next. Over TCP each packet is prefixed by a two-byte big-endian
 * length. A flow must open with a hard reset (client V1/V2/V3 or server V1/V2) with key id 0; it
 * is recognised when the peer's hard reset acknowledges the opener's session id (it appears in
 * the reply as remote session id), or when three more control packets from the same sides repeat
 * their session ids (as with tls-crypt, where the reply is encrypted, or a one-sided capture).
 */
public final class OpenVpnDissector implements Dissector {
    static final int CAP = 256;
    static final int HARD_RESET_CLIENT_V1 = 1;
    static final int HARD_RESET_SERVER_V1 = 2;
    static final int SOFT_RESET_V1 = 3;
    static final int CONTROL_V1 = 4;
    static final int ACK_V1 = 5;
    static final int DATA_V1 = 6;
    static final int HARD_RESET_CLIENT_V2 = 7;
    static final int HARD_RESET_SERVER_V2 = 8;
    static final int DATA_V2 = 9;
    static final int HARD_RESET_CLIENT_V3 = 10;
    static final int CONTROL_WKC_V1 = 11;
    static final int CONFIRMING_PACKETS = 3;
    private static final Descriptor DESCRIPTOR = Descriptor.both("OpenVPN", "VPN", new int[] {1194}, new int[] {1194}).withProbeDepth(6);
    private static final RecordFramer.Header TCP_HEADER = (b, o) -> {
        int l = ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
        return l < 9 || l > 4096 ? -1 : l + 2;
    };

    /** Framing over TCP: a two-byte length before each packet (UDP carries one packet per datagram). */
    private static final FramedState.Framing FRAMING = new FramedState.Framing(2, CAP, TCP_HEADER);

    static final class State extends FramedState {
        final long[] sid = new long[2];
        final boolean[] hasSid = new boolean[2];
        int confirmations;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            return packet(this, fromClient ? 0 : 1, b, off + 2, len - 2);
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        boolean tcp = ctx.l4() == 6;
        if (st == null) {
            int p = tcp ? off + 2 : off;
            if (len == 0 || (len > p - off && !isHardReset(b[p] & 0xFF))) {
                return NO; // (a TCP chunk may end inside the length prefix: the framer decides then)
            }
            st = new State();
            ctx.setState(st);
        }
        if (!tcp) {
            return st.verdict(packet(st, fromClient ? 0 : 1, b, off, len));
        }
        return st.feed(FRAMING, ctx, fromClient, b, off, len);
    }

    private static boolean isHardReset(int firstByte) {
        int op = firstByte >>> 3;
        return (firstByte & 7) == 0 && (op == HARD_RESET_CLIENT_V1 || op == HARD_RESET_CLIENT_V2 || op == HARD_RESET_CLIENT_V3
                || op == HARD_RESET_SERVER_V1 || op == HARD_RESET_SERVER_V2);
    }

    private static boolean isControl(int op) {
        return op == HARD_RESET_CLIENT_V1 || op == HARD_RESET_SERVER_V1 || op == SOFT_RESET_V1 || op == CONTROL_V1
                || op == ACK_V1 || op == HARD_RESET_CLIENT_V2 || op == HARD_RESET_SERVER_V2 || op == HARD_RESET_CLIENT_V3
                || op == CONTROL_WKC_V1;
    }

    /** One OpenVPN packet at {@code b[p..p+n)} from {@code side}; returns the verdict so far. */
    private static int packet(State st, int side, byte[] b, int p, int n) {
        if (n < 1) {
            return NO;
        }
        int op = (b[p] & 0xFF) >>> 3;
        if (op == DATA_V1 || op == DATA_V2) {
            return st.hasSid[0] && st.hasSid[1] ? NEED_MORE : NO; // data only once both sides have reset
        }
        if (!isControl(op) || n < 9 + 5) {
            return NO;
        }
        long sid = 0;
        for (int i = 1; i <= 8; i++) {
            sid = (sid << 8) | (b[p + i] & 0xFF);
        }
        if (!st.hasSid[side]) {
            if (!isHardReset(b[p] & 0xFF) || sid == 0 || !resetLayout(b, p, Math.min(n, CAP))) {
                return NO;
            }
            st.hasSid[side] = true;
            st.sid[side] = sid;
            int other = 1 - side;
            if (st.hasSid[other] && contains(b, p + 9, Math.min(n, CAP) - 9, st.sid[other])) {
                return DONE; // the reply names the opener's session as its remote session
            }
            return NEED_MORE;
        }
        if (sid != st.sid[side]) {
            return NO;
        }
        if (op == HARD_RESET_CLIENT_V1 || op == HARD_RESET_CLIENT_V2 || op == HARD_RESET_CLIENT_V3
                || op == HARD_RESET_SERVER_V1 || op == HARD_RESET_SERVER_V2) {
            return NEED_MORE; // a retransmitted reset confirms nothing
        }
        if (++st.confirmations >= CONFIRMING_PACKETS) {
            return DONE;
        }
        return NEED_MORE;
    }

    /**
     * Whether a hard reset at {@code b[p..p+n)} has the layout of one of OpenVPN's control channel
     * framings after opcode and session id: plain (ack array, message packet-id 0), tls-auth with
     * an HMAC of 16, 20, 32, 48 or 64 bytes followed by replay packet-id and time, then the plain
     * fields; or tls-crypt (replay packet-id, time, 32-byte tag, encrypted rest).
     */
    static boolean resetLayout(byte[] b, int p, int n) {
        if (plainTail(b, p, n, p + 9)) {
            return true;
        }
        for (int h : new int[] {16, 20, 32, 48, 64}) {
            if (replayFields(b, p, n, p + 9 + h) && plainTail(b, p, n, p + 9 + h + 8)) {
                return true;
            }
        }
        return replayFields(b, p, n, p + 9) && n >= 9 + 8 + 32; // tls-crypt
    }

    /**
     * Replay packet-id (non-zero; tls-crypt-v2 clients use a long-form id) and net time (a plausible
     * Unix time) at {@code q}.
     */
    private static boolean replayFields(byte[] b, int p, int n, int q) {
        if (q + 8 > p + n) {
            return false;
        }
        long id = be32(b, q);
        long time = be32(b, q + 4);
        return id >= 1 && time >= 1_262_304_000L; // 2010 onwards
    }

    /** Ack array (length, ids, remote session id) and message packet-id 0 at {@code q}. */
    private static boolean plainTail(byte[] b, int p, int n, int q) {
        int end = p + n;
        if (q >= end) {
            return false;
        }
        int acks = b[q] & 0xFF;
        if (acks > 8) {
            return false;
        }
        q += 1 + (acks > 0 ? 4 * acks + 8 : 0);
        return q + 4 <= end && be32(b, q) == 0;
    }

    private static long be32(byte[] b, int q) {
        return (((b[q] & 0xFF) << 24) | ((b[q + 1] & 0xFF) << 16) | ((b[q + 2] & 0xFF) << 8) | (b[q + 3] & 0xFF)) & 0xFFFF_FFFFL;
    }

    private static boolean contains(byte[] b, int p, int n, long sid) {
        for (int i = p; i + 8 <= p + n; i++) {
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = (v << 8) | (b[i + k] & 0xFF);
            }
            if (v == sid) {
                return true;
            }
        }
        return false;
    }
}
