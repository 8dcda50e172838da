package org.fathom.protocol.rtp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * RTP and RTCP (RFC 3550) over UDP. RTP has no port and a small header, so a flow is taken only
 * after {@link #RUN} packets in one direction carry version 2, a payload type outside the RTCP
 * range (static types 0-34 or dynamic 96-127), a header that fits (CSRCs, extension, padding),
 * the same SSRC and sequence numbers that each follow the previous one. RTCP (nDPI's
 * {@code RTCP}) is taken from one compound datagram whose packets (types 200-207, the first a
 * sender or receiver report) tile it exactly, or from two datagrams that each are one such packet
 * or an SRTCP packet (clear first header, E flag and index, authentication tag).
 * Metadata: {@code rtp.payload_type}; for RTP over UDP, per direction ({@code c2s}, {@code s2c})
 * {@code rtp.packets_*}, {@code rtp.loss_pct_*}, {@code rtp.jitter_ms_*} and {@code rtp.mos_*}
 * over the whole flow ({@link RtpMeter}, which follows the flow after classification).
 */
public final class RtpDissector implements Dissector {
    static final int RUN = 3;
    private static final Descriptor DESCRIPTOR = new Descriptor("RTP", "Media", Descriptor.BOTH, new int[0], new int[0], 6);

    /** Per-flow state: the run of RTP packets per direction, and single RTCP packets seen. */
    static final class State {
        final int[] ssrc = new int[2];
        final int[] seq = new int[2];
        final int[] run = new int[2];
        int rtcpSingles;
        int strays;
        // RTP over TCP (RFC 4571): per direction, the frame bytes still to skip and a partial header
        final int[] skip = new int[2];
        final byte[][] head = new byte[2][];
        final int[] headN = new int[2];
        /** Quality of the UDP flow from its first RTP packet; followed after classification. */
        RtpMeter meter;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() == 6) {
            return framed(ctx, fromClient, b, off, len);
        }
        if (len < 8 || (b[off] & 0xC0) != 0x80) {
            return stray(ctx);
        }
        int pt = b[off + 1] & 0xFF;
        State st = (State) ctx.state();
        if (pt >= 200 && pt <= 207) {
            int packets = rtcpPackets(b, off, len);
            if (packets <= 0) {
                if (!srtcp(b, off, len)) {
                    return NO;
                }
                packets = 1; // SRTCP (RFC 3711): only its first header is in the clear
            }
            if (packets >= 2 || (st != null && st.rtcpSingles >= 1)) {
                ctx.setProtocol("RTCP", "VoIP");
                return DONE;
            }
            if (st == null) {
                st = new State();
                ctx.setState(st);
            }
            st.rtcpSingles++;
            return NEED_MORE;
        }
        int type = pt & 0x7F;
        if (!rtpHeader(b, off, len) || !payloadType(type)) {
            return stray(ctx);
        }
        if (st == null) {
            st = new State();
            ctx.setState(st);
        }
        if (st.meter == null) {
            st.meter = new RtpMeter();
        }
        st.meter.packet(fromClient, b, off, len, ctx.timestampNanos());
        int r = run(ctx, st, fromClient ? 0 : 1, b, off, type);
        if (r == DONE) {
            ctx.follow(st.meter);   // every later packet is measured, cheaply
        }
        return r;
    }

    private static boolean payloadType(int type) {
        return type <= 34 || (type >= 96 && type <= 127);
    }

    /** One packet that is not RTP is forgiven (a stray probe before the media); a second is not. */
    private static int stray(FlowContext ctx) {
        State st = (State) ctx.state();
        if (st == null) {
            if (ctx.payloadPackets(true) + ctx.payloadPackets(false) > 1) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        return ++st.strays > 1 ? NO : NEED_MORE;
    }

    /** Counts the run of in-sequence packets of one SSRC; a duplicate leaves the run as it is. */
    private static int run(FlowContext ctx, State st, int side, byte[] b, int off, int type) {
        int ssrc = ((b[off + 8] & 0xFF) << 24) | ((b[off + 9] & 0xFF) << 16) | ((b[off + 10] & 0xFF) << 8) | (b[off + 11] & 0xFF);
        int seq = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        if (st.run[side] > 0 && st.ssrc[side] == ssrc && seq == st.seq[side]) {
            return NEED_MORE; // duplicate
        }
        if (st.run[side] > 0 && st.ssrc[side] == ssrc && seq == ((st.seq[side] + 1) & 0xFFFF)) {
            st.run[side]++;
        } else {
            st.run[side] = 1;
            st.ssrc[side] = ssrc;
        }
        st.seq[side] = seq;
        if (st.run[side] >= RUN) {
            ctx.put(Registration.RTP_PAYLOAD_TYPE.key(), (long) type);
            return DONE;
        }
        return NEED_MORE;
    }

    /** RTP over TCP framed by a 2-byte length (RFC 4571); frames may split anywhere. */
    private static int framed(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            if (len >= 3 && ((b[off + 2] & 0xC0) != 0x80 || ((b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF)) < 12)) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        int side = fromClient ? 0 : 1;
        int p = off;
        int end = off + len;
        while (p < end) {
            if (st.skip[side] > 0) {
                int n = Math.min(st.skip[side], end - p);
                st.skip[side] -= n;
                p += n;
                continue;
            }
            if (st.head[side] == null) {
                st.head[side] = new byte[14];
            }
            byte[] h = st.head[side];
            int n = Math.min(14 - st.headN[side], end - p);
            System.arraycopy(b, p, h, st.headN[side], n);
            st.headN[side] += n;
            p += n;
            if (st.headN[side] < 14) {
                break;
            }
            st.headN[side] = 0;
            int frame = ((h[0] & 0xFF) << 8) | (h[1] & 0xFF);
            int type = h[3] & 0x7F;
            if (frame < 12 || (h[2] & 0xC0) != 0x80 || !payloadType(type) || 12 + 4 * (h[2] & 0x0F) > frame) {
                return NO;
            }
            st.skip[side] = frame - 12;
            if (run(ctx, st, side, h, 2, type) == DONE) {
                return DONE;
            }
        }
        return NEED_MORE;
    }

    /** Version 2 header with its CSRC list, extension and padding inside the datagram. */
    static boolean rtpHeader(byte[] b, int off, int len) {
        if (len < 12) {
            return false;
        }
        int cc = b[off] & 0x0F;
        int h = 12 + 4 * cc;
        if ((b[off] & 0x10) != 0) {
            if (h + 4 > len) {
                return false;
            }
            h += 4 + 4 * (((b[off + h + 2] & 0xFF) << 8) | (b[off + h + 3] & 0xFF));
        }
        if (h > len) {
            return false;
        }
        if ((b[off] & 0x20) != 0) {
            int pad = b[off + len - 1] & 0xFF;
            return pad > 0 && h + pad <= len;
        }
        return true;
    }

    /**
     * SRTCP (RFC 3711 section 3.4): a clear SR/RR header whose length fits, then (possibly
     * encrypted) bytes, the E flag with a 31-bit index (a counter from 0, so its top byte is small),
     * and an 80- or 32-bit authentication tag at the end.
     */
    static boolean srtcp(byte[] b, int off, int len) {
        if (len < 8 + 4 + 4 || (b[off] & 0xC0) != 0x80) {
            return false;
        }
        int pt = b[off + 1] & 0xFF;
        int size = 4 * ((((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF)) + 1);
        if (pt != 200 && pt != 201) {
            return false;
        }
        for (int tag : new int[] {10, 4}) {
            int e = off + len - tag - 4;
            if (size <= len - tag - 4 && e >= off + 8 && (b[e] & 0xFF) == 0x80 && b[e + 1] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Packets of an RTCP compound datagram tiling it exactly, or 0 when it is not one. */
    static int rtcpPackets(byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        int n = 0;
        while (p < end) {
            if (p + 4 > end || (b[p] & 0xC0) != 0x80) {
                return 0;
            }
            int pt = b[p + 1] & 0xFF;
            int count = b[p] & 0x1F;
            int words = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            int size = 4 * (words + 1);
            if (pt < 200 || pt > 207 || p + size > end) {
                return 0;
            }
            if (n == 0 && pt != 200 && pt != 201) {
                return 0; // RFC 3550 6.1: a compound packet starts with SR or RR
            }
            if ((pt == 200 && size < 28 + 24 * count) || (pt == 201 && size < 8 + 24 * count)) {
                return 0;
            }
            p += size;
            n++;
            if (n > 16) {
                return 0;
            }
        }
        return n;
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("RTCP", "VoIP"));
    }
}
