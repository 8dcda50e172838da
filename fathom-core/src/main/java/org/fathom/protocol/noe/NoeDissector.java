package org.fathom.protocol.noe;

import static org.fathom.wire.Bytes.u16le;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * NOE (Alcatel-Lucent New Office Environment), the signalling of Alcatel-Lucent IP phones,
 * carried in UA/UDP ("Universal Alcatel over UDP"), as Wireshark's packet-uaudp.c/.h and
 * packet-ua.c (contributed by Alcatel-Lucent Enterprise) read it. A UA/UDP datagram starts with
 * an opcode: 0 connect (then type-length-value parameters, type 0 to 9 — version, window size,
 * MTU, UDP lost, UDP lost reinit, keep-alive, QoS IP TOS, 802.1 VLAN id and priority, superfast
 * connect —, one length byte, that many value bytes), 1 connect ack, 2 release, 3 release ack,
 * 4 keep-alive, 5 keep-alive ack, 6 NACK (the expected sequence number, 16 bits), 7 data (the
 * expected and the sent sequence numbers, 16 bits each, then UA messages; none is a data ack).
 * A UA message is a little-endian 16-bit length of what follows, then the UA opcode (bit 7 is a
 * CP flag): 0x15 and 0x16 carry NOE, the others are UA3G (Wireshark's table); a NOE message's next
 * byte is its method (packet-noe.c: 0 to 6, bit 7 the ack flag). nDPI's noe.c takes
 * one-byte keep-alives and 5- or 12-byte data datagrams.
 *
 * <p>Decision: a <em>strong</em> datagram is a connect whose parameters chain exactly to the end
 * (at least two), or a data datagram whose UA messages chain exactly to the end, each with a
 * known opcode. On the terminal ports Wireshark decodes by default (UDP 32000 and 32512) one
 * strong datagram decides and weak ones (keep-alives, acks, NACKs, data acks) wait; elsewhere a
 * strong datagram is needed from each side, every datagram of the flow being valid UA/UDP.
 */
public final class NoeDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("NOE", "VoIP").withProbeDepth(6);
    private static final int TERMINAL_PORT_1 = 32000;
    private static final int TERMINAL_PORT_2 = 32512;
    private static final int INVALID = 0;
    private static final int WEAK = 1;
    private static final int STRONG = 2;
    /** NOE methods of packet-noe.c: create, delete, set/get property, notify, delete/insert item (bit 7: ack). */
    private static final int NOE_METHODS = 7;
    /** UA opcodes (bit 7 cleared) that packet-ua.c decodes: NOE (0x15, 0x16) and the UA3G ones. */
    private static final long[] UA_OPCODES = new long[2];

    static {
        int[] known = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x11, 0x12,
            0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C,
            0x2D, 0x2E, 0x30, 0x31, 0x32, 0x33, 0x35, 0x36, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40, 0x41, 0x42, 0x43,
            0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F, 0x50};
        for (int k : known) {
            UA_OPCODES[k >>> 6] |= 1L << (k & 63);
        }
    }

    /** Which sides have sent a strong datagram (bit 0 client, bit 1 server). */
    static final class State {
        int strong;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return Dissector.bytes(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || len < 1) {
            return NO;
        }
        int kind = classify(b, off, len);
        if (kind == INVALID) {
            return NO;
        }
        int s = ctx.serverPort();
        int c = ctx.clientPort();
        if (s == TERMINAL_PORT_1 || s == TERMINAL_PORT_2 || c == TERMINAL_PORT_1 || c == TERMINAL_PORT_2) {
            return kind == STRONG ? DONE : NEED_MORE;
        }
        if (kind == WEAK) {
            return NEED_MORE;
        }
        State st = ctx.state() instanceof State x ? x : null;
        if (st == null) {
            st = new State();
            ctx.setState(st);
        }
        st.strong |= fromClient ? 1 : 2;
        return st.strong == 3 ? DONE : NEED_MORE;
    }

    /** INVALID, WEAK or STRONG, as the class comment says. */
    static int classify(byte[] b, int off, int len) {
        int opcode = b[off] & 0xFF;
        switch (opcode) {
            case 0:
                return connect(b, off, len);
            case 1:
                return len <= 64 ? WEAK : INVALID;
            case 2, 3, 4, 5:
                return len == 1 ? WEAK : INVALID;
            case 6:
                return len == 3 ? WEAK : INVALID;
            case 7:
                return data(b, off, len);
            default:
                return INVALID;
        }
    }

    private static int connect(byte[] b, int off, int len) {
        int p = 1;
        int params = 0;
        while (p < len) {
            if (len - p < 2) {
                return INVALID;
            }
            int type = b[off + p] & 0xFF;
            int l = b[off + p + 1] & 0xFF;
            if (type > 9 || l < 1 || l > 4) {
                return INVALID;
            }
            p += 2 + l;
            params++;
        }
        if (p != len) {
            return INVALID;
        }
        return params >= 2 ? STRONG : params == 1 ? WEAK : INVALID;
    }

    private static int data(byte[] b, int off, int len) {
        if (len < 5) {
            return INVALID;
        }
        if (len == 5) {
            return WEAK;
        }
        int p = 5;
        while (p < len) {
            if (len - p < 3) {
                return INVALID;
            }
            int l = u16le(b, off + p);
            int op = b[off + p + 2] & 0x7F;
            if (l < 1 || (UA_OPCODES[op >>> 6] & 1L << (op & 63)) == 0) {
                return INVALID;
            }
            if ((op == 0x15 || op == 0x16) && (l < 2 || p + 3 >= len || (b[off + p + 3] & 0x7F) >= NOE_METHODS)) {
                return INVALID;
            }
            p += 2 + l;
        }
        return p == len ? STRONG : INVALID;
    }
}
