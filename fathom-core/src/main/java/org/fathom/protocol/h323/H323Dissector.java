package org.fathom.protocol.h323;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * H.323 call signalling and registration. Over TCP (H.225.0 call signalling, usually port 1720):
 * a TPKT (RFC 1006) whose length matches, carrying a Q.931 message: protocol discriminator 0x08,
 * call reference length 0..2 (upper nibble zero), a known Q.931 message type. Over UDP (H.225.0
 * RAS, usually 1719): a PER-encoded RAS message that names the H.225.0 protocol identifier
 * {@code 0.0.8.2250.0.v} (encoded as {@code 06 00 08 91 4A 00 v}) near its start. Contributes
 * {@code h323.message} (the first Q.931 message type name).
 */
public final class H323Dissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.both("H323", "VoIP", new int[] {1720, 1719}, new int[] {1719, 1720}).withProbeDepth(3);
    private static final RecordFramer.Header TPKT = (b, o) -> {
        int len = ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
        return b[o] == 3 && b[o + 1] == 0 && len >= 9 ? len : -1;
    };

    static final int MAX_MESSAGES = 12;

    private static final FramedState.Framing FRAMING = new FramedState.Framing(4, 1024, TPKT);

    static final class State extends FramedState {
        int messages;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            String m = q931(b, off + 4, len - 4);
            if (m == null) {
                return verdict() == NEED_MORE ? NO : DONE;
            }
            if (ctx.get(Registration.H323_MESSAGE.key()) == null) {
                ctx.put(Registration.H323_MESSAGE.key(), m);
            }
            h245Address(ctx, fromClient, b, off + 4, len - 4);
            return ++messages >= MAX_MESSAGES ? DONE : MATCH;
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() == 17) {
            return ras(b, off, len) ? DONE : NO;
        }
        State st = (State) ctx.state();
        if (st == null) {
            if (len > 0 && b[off] != 3) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        return st.feed(FRAMING, ctx, fromClient, b, off, len);
    }

    /**
     * Announces the H.245 control channel: the H.225.0 user-user information of CONNECT, ALERTING,
     * CALL PROCEEDING, PROGRESS or FACILITY carries the sender's h245Address, a PER-encoded
     * TransportAddress whose ipAddress is the sender's own IPv4 address followed by the port.
     */
    private static void h245Address(FlowContext ctx, boolean fromClient, byte[] b, int p, int n) {
        long hi = fromClient ? ctx.clientHi() : ctx.serverHi();
        long lo = fromClient ? ctx.clientLo() : ctx.serverLo();
        if (hi != 0 || (lo >>> 32) != 0xFFFFL) {
            return; // IPv4 only
        }
        int end = p + n;
        for (int i = p; i + 6 <= end; i++) {
            if ((b[i] & 0xFF) == ((lo >>> 24) & 0xFF) && (b[i + 1] & 0xFF) == ((lo >>> 16) & 0xFF)
                    && (b[i + 2] & 0xFF) == ((lo >>> 8) & 0xFF) && (b[i + 3] & 0xFF) == (lo & 0xFF)) {
                int port = ((b[i + 4] & 0xFF) << 8) | (b[i + 5] & 0xFF);
                if (port >= 1024 && port != 1720 && port != (fromClient ? ctx.clientPort() : ctx.serverPort())) {
                    ctx.expect(6, hi, lo, port, "H323", "VoIP");
                }
            }
        }
    }

    /** The Q.931 message type name of a message at {@code b[p..p+n)}, or null. */
    static String q931(byte[] b, int p, int n) {
        if (n < 5 || b[p] != 0x08) {
            return null;
        }
        int crl = b[p + 1] & 0xFF;
        if (crl > 2 || n < 3 + crl) {
            return null;
        }
        return messageName(b[p + 2 + crl] & 0xFF);
    }

    static String messageName(int t) {
        return switch (t) {
            case 0x01 -> "ALERTING";
            case 0x02 -> "CALL_PROCEEDING";
            case 0x03 -> "PROGRESS";
            case 0x05 -> "SETUP";
            case 0x07 -> "CONNECT";
            case 0x0D -> "SETUP_ACKNOWLEDGE";
            case 0x0F -> "CONNECT_ACKNOWLEDGE";
            case 0x20 -> "USER_INFORMATION";
            case 0x45 -> "DISCONNECT";
            case 0x4D -> "RELEASE";
            case 0x5A -> "RELEASE_COMPLETE";
            case 0x62 -> "FACILITY";
            case 0x6E -> "NOTIFY";
            case 0x75 -> "STATUS_ENQUIRY";
            case 0x7B -> "INFORMATION";
            case 0x7D -> "STATUS";
            default -> null;
        };
    }

    /** Whether a datagram is an H.225.0 RAS message: the protocol identifier OID within its first bytes. */
    static boolean ras(byte[] b, int off, int len) {
        int limit = Math.min(len, 16);
        for (int i = 1; i + 7 <= limit; i++) {
            int p = off + i;
            if (b[p] == 0x06 && b[p + 1] == 0x00 && b[p + 2] == 0x08 && (b[p + 3] & 0xFF) == 0x91 && b[p + 4] == 0x4A
                    && b[p + 5] == 0x00 && b[p + 6] >= 1 && b[p + 6] <= 9) {
                return true;
            }
        }
        return false;
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("H323", "VoIP"));
    }
}
