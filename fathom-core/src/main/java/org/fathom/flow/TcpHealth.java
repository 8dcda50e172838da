package org.fathom.flow;

import java.util.Arrays;
import java.util.Map;
import org.fathom.decode.DecodedPacket;

/**
 * TCP traffic issues per flow, as Wireshark's TCP analysis finds them ({@code tcp.analysis.*}):
 * handshake round-trip times on each side of the capture point, retransmitted and out-of-order
 * segments and bytes per direction, zero-window advertisements, and how the connection failed
 * (refused, reset, never answered). docs/EVENTS.md says how each figure is computed.
 *
 * <p>One per worker, beside its {@link FlowTable}, indexed by the table's flow id: {@link #STRIDE}
 * words per flow in {@code long[]} pages of 1,024 flows, allocated as flow ids reach them (so
 * bounded by the table's {@code maxFlows}) and never copied to grow; a flow's words are reset when
 * it is created. Per packet: a few array reads and writes, no allocation, no lock.
 */
public final class TcpHealth {
    static final int STRIDE = 24;
    // per flow
    private static final int SYN_TS = 0;
    private static final int SYNACK_TS = 1;
    private static final int RTT_SERVER = 2;
    private static final int RTT_CLIENT = 3;
    private static final int FLAGS = 4;
    // per direction, from A at 5, from B at 5 + DIR
    private static final int DIR = 9;
    private static final int NEXTSEQ = 5;        // next expected sequence number (low 32) | window << 32
    private static final int NEXTSEQ_TS = 6;
    private static final int LASTACK = 7;        // last ack (low 32) | dup acks << 32
    private static final int LASTACK_TS = 8;
    private static final int RETRANS = 9;        // segments (low 32) | out-of-order segments << 32
    private static final int RETRANS_BYTES = 10;
    private static final int OOO_BYTES = 11;
    private static final int ZERO_WINDOW = 12;
    private static final int SPURIOUS = 13;      // spurious retransmissions (already acknowledged data)

    // FLAGS bits
    private static final long F_SYN = 1;
    private static final long F_SYN_FROM_B = 1 << 1;
    private static final long F_SYNACK = 1 << 2;
    private static final long F_RTT_SERVER = 1 << 3;
    private static final long F_RTT_CLIENT = 1 << 4;
    private static final long F_REFUSED = 1 << 5;
    private static final long F_RST_A = 1 << 6;
    private static final long F_RST_B = 1 << 7;
    private static final long F_RST_FIRST_B = 1 << 8;
    private static final long F_NEXTSEQ_A = 1 << 9;      // + 1 for B
    private static final long F_LASTACK_A = 1 << 11;     // + 1 for B
    private static final long F_SEEN_A = 1 << 13;        // + 1 for B
    private static final long F_WINDOW_A = 1 << 15;      // + 1 for B

    /** Wireshark's out-of-order threshold without a measured RTT: 3 ms. */
    static final long OOO_DEFAULT_NANOS = 3_000_000L;
    /** A fast retransmission follows the second duplicate ACK within 20 ms. */
    static final long FAST_RETRANS_NANOS = 20_000_000L;

    /** Flows per page: the figures live in pages allocated as flow ids reach them, never copied. */
    private static final int PAGE_SHIFT = 10;
    private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;
    private long[][] pages = new long[64][];

    /** The page of flow {@code f}, allocated on first use. */
    private long[] page(int f) {
        int i = f >>> PAGE_SHIFT;
        if (i >= pages.length) {
            pages = Arrays.copyOf(pages, Math.max(pages.length * 2, i + 1));
        }
        long[] w = pages[i];
        if (w == null) {
            w = pages[i] = new long[STRIDE << PAGE_SHIFT];
        }
        return w;
    }

    /** The page of flow {@code f}, or null if no flow of it was ever tracked. */
    private long[] pageOrNull(int f) {
        int i = f >>> PAGE_SHIFT;
        return i < pages.length ? pages[i] : null;
    }

    private static int base(int f) {
        return (f & PAGE_MASK) * STRIDE;
    }

    /** Starts tracking a new flow {@code f} (its slot may hold a finished flow's figures). */
    public void reset(int f) {
        int base = base(f);
        Arrays.fill(page(f), base, base + STRIDE, 0L);
    }

    /**
     * One TCP packet of flow {@code f}; {@code fromA} says whether its sender is the table's A side
     * ({@link FlowTable#lastFromA()}).
     */
    public void packet(int f, boolean fromA, DecodedPacket d) {
        int base = base(f);
        long[] w = page(f);
        long now = d.timestampNanos;
        int flags = d.tcpFlags;
        int seq = d.tcpSeq;
        int seglen = d.payloadLength;
        int window = d.tcpWindow;
        int fwd = base + (fromA ? 0 : DIR);
        int rev = base + (fromA ? DIR : 0);
        int fbit = fromA ? 0 : 1;
        long fl = w[base + FLAGS];
        boolean syn = (flags & DecodedPacket.TCP_SYN) != 0;
        boolean ack = (flags & DecodedPacket.TCP_ACK) != 0;
        boolean rst = (flags & DecodedPacket.TCP_RST) != 0;
        boolean fin = (flags & DecodedPacket.TCP_FIN) != 0;
        fl |= F_SEEN_A << fbit;

        // handshake and how the connection ended
        if (syn && !ack) {
            w[base + SYN_TS] = now;   // the most recent SYN (tshark's initial RTT starts there too)
            fl = (fl | F_SYN) & ~F_SYN_FROM_B | (fromA ? 0 : F_SYN_FROM_B);
        } else if (syn) {
            // the latest SYN-ACK to the latest SYN before it, until the handshake's ACK: after
            // retransmitted SYNs, the pair that completed the handshake (as tshark's initial RTT)
            if ((fl & F_SYN) != 0 && ((fl & F_SYN_FROM_B) != 0) == fromA && (fl & F_RTT_CLIENT) == 0) {
                w[base + RTT_SERVER] = now - w[base + SYN_TS];
                fl |= F_RTT_SERVER;
            }
            w[base + SYNACK_TS] = now;
            fl |= F_SYNACK;
        } else if (ack && (fl & F_SYNACK) != 0 && (fl & F_RTT_CLIENT) == 0 && (fl & F_SYN) != 0
                && ((fl & F_SYN_FROM_B) != 0) != fromA) {
            w[base + RTT_CLIENT] = now - w[base + SYNACK_TS];
            fl |= F_RTT_CLIENT;
        }
        if (rst) {
            if ((fl & (F_RST_A | F_RST_B)) == 0 && !fromA) {
                fl |= F_RST_FIRST_B;
            }
            fl |= fromA ? F_RST_A : F_RST_B;
            if ((fl & F_SYN) != 0 && (fl & F_SYNACK) == 0 && ((fl & F_SYN_FROM_B) != 0) == fromA) {
                fl |= F_REFUSED;   // the SYN was answered by a reset
            }
        }

        // sequence analysis, in the order of Wireshark's tcp_analyze_sequence_number
        boolean nextSet = (fl & (F_NEXTSEQ_A << fbit)) != 0;
        int nextseq = (int) w[fwd + NEXTSEQ];
        boolean revWindowKnown = (fl & (F_WINDOW_A << (1 - fbit))) != 0;
        int revWindow = (int) (w[rev + NEXTSEQ] >>> 32);
        boolean fwdWindowKnown = (fl & (F_WINDOW_A << fbit)) != 0;
        int fwdWindow = (int) (w[fwd + NEXTSEQ] >>> 32);
        boolean lastAckSet = (fl & (F_LASTACK_A << fbit)) != 0;
        int lastack = (int) w[fwd + LASTACK];
        long dup = w[fwd + LASTACK] >>> 32;
        boolean keepAlive = false;
        // a zero-window probe: one byte at the next sequence number while the peer's window is closed
        boolean zeroWindowProbe = nextSet && seglen == 1 && seq == nextseq && revWindowKnown && revWindow == 0;
        if (!zeroWindowProbe) {
            if (window == 0 && !(rst || fin || syn)) {
                w[fwd + ZERO_WINDOW]++;
            }
            keepAlive = nextSet && seglen <= 1 && !(syn || fin || rst) && seq == nextseq - 1;
            if (lastAckSet && fwdWindowKnown && seglen == 0 && window != 0 && window == fwdWindow && nextSet
                    && seq == nextseq && d.tcpAck == lastack && !(syn || fin || rst)) {
                dup++;   // a duplicate ACK
            }
        }
        if (!lastAckSet || d.tcpAck != lastack) {
            dup = 0;
        }
        if ((seglen > 0 || syn || fin) && !keepAlive) {
            boolean notAdvanced = nextSet && seq - nextseq < 0 && !(seglen > 1 && nextseq - 1 == seq);
            long revLast = w[rev + LASTACK];
            boolean revAckSet = (fl & (F_LASTACK_A << (1 - fbit))) != 0;
            long ooo = (fl & F_RTT_CLIENT) != 0 ? w[base + RTT_SERVER] + w[base + RTT_CLIENT] : OOO_DEFAULT_NANOS;
            if (ooo == 0) {
                ooo = OOO_DEFAULT_NANOS;
            }
            if (seglen > 0 && revAckSet && (seq + seglen) - (int) revLast <= 0) {
                w[fwd + SPURIOUS]++;                      // data the receiver had acknowledged already
                w[fwd + RETRANS_BYTES] += seglen;
            } else if (notAdvanced && revAckSet && (revLast >>> 32) >= 2 && (int) revLast == seq
                    && now - w[rev + LASTACK_TS] < FAST_RETRANS_NANOS) {
                w[fwd + RETRANS]++;                       // fast retransmission
                w[fwd + RETRANS_BYTES] += seglen;
            } else if (notAdvanced && now - w[fwd + NEXTSEQ_TS] < ooo && nextseq != seq + seglen + (syn || fin ? 1 : 0)) {
                w[fwd + RETRANS] += 1L << 32;             // out of order
                w[fwd + OOO_BYTES] += seglen;
            } else if (notAdvanced) {
                w[fwd + RETRANS]++;
                w[fwd + RETRANS_BYTES] += seglen;
            }
        }
        int nx = seq + seglen + (syn || fin ? 1 : 0);
        if ((!nextSet || nx - nextseq > 0) && !zeroWindowProbe) {
            w[fwd + NEXTSEQ] = (nx & 0xFFFF_FFFFL) | (w[fwd + NEXTSEQ] & 0xFFFF_FFFF_0000_0000L);
            w[fwd + NEXTSEQ_TS] = now;
            fl |= F_NEXTSEQ_A << fbit;
        }
        if (ack) {
            w[fwd + LASTACK] = (d.tcpAck & 0xFFFF_FFFFL) | dup << 32;
            fl |= F_LASTACK_A << fbit;
        } else {
            w[fwd + LASTACK] = 0;
            fl &= ~(F_LASTACK_A << fbit);
        }
        w[fwd + LASTACK_TS] = now;
        w[fwd + NEXTSEQ] = (w[fwd + NEXTSEQ] & 0xFFFF_FFFFL) | (long) (window & 0xFFFF) << 32;
        fl |= F_WINDOW_A << fbit;
        w[base + FLAGS] = fl;
    }

    /**
     * Writes the flow's figures as metadata ({@code tcp.*}, docs/EVENTS.md): only what was
     * measured or happened, so a clean flow carries its RTTs and nothing else.
     *
     * @param clientIsB whether the flow's client is the table's B side ({@link FlowTable#clientIsB})
     */
    public void publish(int f, boolean clientIsB, Map<String, Object> meta) {
        long[] w = pageOrNull(f);
        if (w == null) {
            return;
        }
        int base = base(f);
        long fl = w[base + FLAGS];
        if ((fl & F_RTT_SERVER) != 0) {
            meta.put("tcp.rtt_server_ms", ms(w[base + RTT_SERVER]));
        }
        if ((fl & F_RTT_CLIENT) != 0) {
            meta.put("tcp.rtt_client_ms", ms(w[base + RTT_CLIENT]));
        }
        int c = base + (clientIsB ? DIR : 0);
        int s = base + (clientIsB ? 0 : DIR);
        direction(meta, C2S, w, c);
        direction(meta, S2C, w, s);
        if ((fl & F_REFUSED) != 0) {
            meta.put("tcp.refused", Boolean.TRUE);
        } else if ((fl & (F_RST_A | F_RST_B)) != 0) {
            boolean firstFromB = (fl & F_RST_FIRST_B) != 0;
            meta.put("tcp.reset_by", firstFromB == clientIsB ? "client" : "server");
        }
        long serverSeen = clientIsB ? F_SEEN_A : F_SEEN_A << 1;
        if ((fl & F_SYN) != 0 && (fl & serverSeen) == 0) {
            meta.put("tcp.unanswered", Boolean.TRUE);
        }
    }

    /** Keys per direction: retransmitted, their bytes, out of order, their bytes, zero window. */
    private static final String[] C2S = {"tcp.retrans_c2s", "tcp.retrans_bytes_c2s", "tcp.out_of_order_c2s",
        "tcp.out_of_order_bytes_c2s", "tcp.zero_window_c2s"};
    private static final String[] S2C = {"tcp.retrans_s2c", "tcp.retrans_bytes_s2c", "tcp.out_of_order_s2c",
        "tcp.out_of_order_bytes_s2c", "tcp.zero_window_s2c"};

    private static void direction(Map<String, Object> meta, String[] keys, long[] w, int at) {
        long r = w[at + RETRANS];
        long retrans = r & 0xFFFF_FFFFL;
        long ooo = r >>> 32;
        long spurious = w[at + SPURIOUS];
        if (retrans + spurious > 0) {
            meta.put(keys[0], retrans + spurious);
            meta.put(keys[1], w[at + RETRANS_BYTES]);
        }
        if (ooo > 0) {
            meta.put(keys[2], ooo);
            meta.put(keys[3], w[at + OOO_BYTES]);
        }
        if (w[at + ZERO_WINDOW] > 0) {
            meta.put(keys[4], w[at + ZERO_WINDOW]);
        }
    }

    /** Retransmissions as tshark counts {@code tcp.analysis.retransmission} (spurious ones apart). */
    public long retransmissions(int f, boolean fromA) {
        long[] w = pageOrNull(f);
        return w == null ? 0 : w[base(f) + (fromA ? 0 : DIR) + RETRANS] & 0xFFFF_FFFFL;
    }

    private static Double ms(long nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }
}
