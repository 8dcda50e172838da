package org.fathom.protocol.yojimbo;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * netcode.io, the connection protocol of the yojimbo game network library (nDPI's Yojimbo), from
 * the protocol's public standard (STANDARD.md of github.com/mas-bandwidth/netcode). All integers
 * are little-endian; every packet is one UDP datagram.
 *
 * <p><b>Connection request</b> (the client's first packet, the only one in clear): prefix byte
 * {@code 0}, the 13-byte version info {@code "NETCODE 1.0x\0"}, protocol id (8), connect token
 * expire timestamp (8), then either the connect token nonce (24, netcode 1.02 as the reference
 * implementation sends it: 1078 bytes in all) or the connect token sequence (8, the standard's
 * older text and netcode 1.00/1.01: 1062 bytes), then the encrypted private connect token (1024).
 * The prefix, the twelve ASCII bytes and the exact length decide: one datagram.
 *
 * <p><b>Every other packet</b> is encrypted: a prefix byte whose low 4 bits are the packet type
 * (1 denied, 2 challenge, 3 response, 4 keep-alive, 5 payload, 6 disconnect) and whose high 4
 * bits are the number of sequence bytes (1 to 8), the sequence number in that many bytes with its
 * high zero bytes omitted (so the last one is non-zero unless there is only one), the encrypted
 * per-type data and a 16-byte MAC. The data has a fixed size per type (0, 308, 308, 8, 1 to 1200,
 * 0), so the datagram length must be {@code 1 + sequence bytes + data + 16}. The challenge comes
 * only from the server and the response only from the client. A flow first seen after its
 * connection request is recognised from these packets only when every datagram of each direction
 * has this form, each direction's sequence numbers grow, and each direction has sent at least
 * one fixed-size control packet (challenge, response, keep-alive, denied or disconnect): a
 * one-byte prefix and a length are too little alone.
 */
public final class YojimboDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Yojimbo", "Game").withProbeDepth(6);
    private static final byte[] VERSION = {'N', 'E', 'T', 'C', 'O', 'D', 'E', ' ', '1', '.', '0'};
    /** Request lengths: with the 24-byte nonce (1.02) and with the 8-byte token sequence (1.00/1.01). */
    private static final int REQUEST_NONCE = 1 + 13 + 8 + 8 + 24 + 1024;
    private static final int REQUEST_SEQUENCE = 1 + 13 + 8 + 8 + 8 + 1024;
    private static final int MAC = 16;
    private static final int TYPE_DENIED = 1;
    private static final int TYPE_CHALLENGE = 2;
    private static final int TYPE_RESPONSE = 3;
    private static final int TYPE_KEEPALIVE = 4;
    private static final int TYPE_PAYLOAD = 5;
    private static final int TYPE_DISCONNECT = 6;
    private static final long[] CLIENT_FIRST = firstSet(true);
    private static final long[] SERVER_FIRST = firstSet(false);

    /** Per-flow state of the mid-flow check: last sequence number and control packets per direction. */
    static final class State {
        long clientSeq = -1;
        long serverSeq = -1;
        boolean clientControl;
        boolean serverControl;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? CLIENT_FIRST : SERVER_FIRST;
    }

    private static long[] firstSet(boolean client) {
        long[] set = new long[4];
        if (client) {
            set[0] |= 1L;
        }
        for (int n = 1; n <= 8; n++) {
            for (int t = TYPE_DENIED; t <= TYPE_DISCONNECT; t++) {
                if (allowed(t, client)) {
                    int v = n << 4 | t;
                    set[v >>> 6] |= 1L << (v & 63);
                }
            }
        }
        return set;
    }

    private static boolean allowed(int type, boolean fromClient) {
        return fromClient ? type != TYPE_CHALLENGE : type != TYPE_RESPONSE;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || len < 1 + 1 + MAC) {
            return NO;
        }
        int prefix = b[off] & 0xFF;
        if (prefix == 0) {
            return fromClient && isRequest(b, off, len) ? DONE : NO;
        }
        int type = prefix & 0x0F;
        int seqBytes = prefix >>> 4;
        if (type < TYPE_DENIED || type > TYPE_DISCONNECT || seqBytes < 1 || seqBytes > 8 || !allowed(type, fromClient)) {
            return NO;
        }
        int data = len - 1 - seqBytes - MAC;
        if (!dataSizeFits(type, data) || (seqBytes > 1 && b[off + seqBytes] == 0)) {
            return NO;
        }
        long seq = 0;
        for (int i = seqBytes; i >= 1; i--) {
            seq = seq << 8 | (b[off + i] & 0xFF);
        }
        State s = ctx.state() instanceof State st ? st : null;
        if (s == null) {
            s = new State();
            ctx.setState(s);
        }
        boolean control = type != TYPE_PAYLOAD;
        if (fromClient) {
            if (Long.compareUnsigned(seq, s.clientSeq) <= 0 && s.clientSeq != -1) {
                return NO;
            }
            s.clientSeq = seq;
            s.clientControl |= control;
        } else {
            if (Long.compareUnsigned(seq, s.serverSeq) <= 0 && s.serverSeq != -1) {
                return NO;
            }
            s.serverSeq = seq;
            s.serverControl |= control;
        }
        return s.clientControl && s.serverControl ? DONE : NEED_MORE;
    }

    private static boolean dataSizeFits(int type, int data) {
        return switch (type) {
            case TYPE_DENIED, TYPE_DISCONNECT -> data == 0;
            case TYPE_CHALLENGE, TYPE_RESPONSE -> data == 8 + 300;
            case TYPE_KEEPALIVE -> data == 8;
            default -> data >= 1 && data <= 1200;
        };
    }

    private static boolean isRequest(byte[] b, int off, int len) {
        if (len != REQUEST_NONCE && len != REQUEST_SEQUENCE) {
            return false;
        }
        for (int i = 0; i < VERSION.length; i++) {
            if (b[off + 1 + i] != VERSION[i]) {
                return false;
            }
        }
        byte minor = b[off + 1 + VERSION.length];
        return minor >= '0' && minor <= '9' && b[off + 13] == 0;
    }
}
