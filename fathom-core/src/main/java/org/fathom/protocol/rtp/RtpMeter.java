package org.fathom.protocol.rtp;

import org.fathom.protocol.FlowContext;
import org.fathom.protocol.FlowMeter;

/**
 * Quality of an RTP flow that no signalling announced (WebRTC, Skinny, WhatsApp or Teams media,
 * SRTP, whose RTP header is in the clear): per direction packets, loss from RFC 3550 A.1
 * extended sequence numbers (a new SSRC restarts tracking and its counts add up), interarrival
 * jitter (A.8) and an E-model MOS ({@link RtpQuality}), the same rules as the call analyzer's
 * {@code RtpStream}. Comfort noise counts as media; RTCP multiplexed on the flow and non-RTP
 * datagrams (STUN keep-alives) are skipped.
 *
 * <p>Without SDP the clock rate comes from the payload type when it is static (RFC 3551), and is
 * otherwise estimated from the stream itself: RTP timestamp advance over capture time once
 * 200 ms have passed, rounded to the nearest usual rate (8, 16, 24, 32, 44.1, 48 or 90 kHz);
 * jitter is measured from then on. A 90 kHz stream is video: no MOS. Fixed-size state, nothing
 * allocated per packet.
 */
final class RtpMeter implements FlowMeter {
    private static final int[] RATES = {8000, 16000, 24000, 32000, 44100, 48000, 90000};
    private static final long ESTIMATE_AFTER_NANOS = 200_000_000L;

    /** One direction. */
    static final class Dir extends RtpSequence {
        long packets;
        int payloadType = -1;
        int clockRate;          // 0 until known
        long firstTs;
        long firstNanos;

        void packet(byte[] b, int off, int len, long nanos) {
            if (len < 12 || (b[off] & 0xC0) != 0x80) {
                return;
            }
            int pt = b[off + 1] & 0x7F;
            if (pt >= 72 && pt <= 76) {
                return; // RTCP multiplexed (RFC 5761)
            }
            int seq = (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
            long ts = ((long) (b[off + 4] & 0xFF) << 24) | (b[off + 5] & 0xFF) << 16 | (b[off + 6] & 0xFF) << 8 | (b[off + 7] & 0xFF);
            long src = ((long) (b[off + 8] & 0xFF) << 24) | (b[off + 9] & 0xFF) << 16 | (b[off + 10] & 0xFF) << 8 | (b[off + 11] & 0xFF);
            packets++;
            if (pt != payloadType && (payloadType < 0 || payloadType == 13)) {
                payloadType = pt;   // the codec: the first type other than comfort noise
                int r = RtpQuality.staticClockRate(pt);
                if (r > 0 && clockRate == 0) {
                    clockRate = r;
                }
            }
            if (sequence(src, seq)) {
                firstTs = ts;
                firstNanos = nanos;
            }
            if (clockRate == 0) {
                long dt = nanos - firstNanos;
                if (dt < ESTIMATE_AFTER_NANOS) {
                    return;
                }
                clockRate = nearestRate((double) ((ts - firstTs) & 0xFFFF_FFFFL) * 1e9 / dt);
            }
            transit(nanos, ts, clockRate);
        }

        double jitterMs() {
            return jitterMs(clockRate);
        }

        double lossFigure() {
            return RtpQuality.round(lossPct(), 2);
        }

        double jitterFigure() {
            return RtpQuality.round(jitterMs(), 2);
        }

        /** E-model MOS, or null for video (90 kHz clock), where it means nothing. */
        Double mosFigure() {
            if (clockRate == 90000) {
                return null;
            }
            return RtpQuality.round(RtpQuality.mos(RtpQuality.staticName(payloadType), lossFigure(), jitterFigure()), 2);
        }
    }

    final Dir c2s = new Dir();
    final Dir s2c = new Dir();

    static int nearestRate(double r) {
        int best = RATES[0];
        for (int x : RATES) {
            if (Math.abs(x - r) < Math.abs(best - r)) {
                best = x;
            }
        }
        return best;
    }

    @Override
    public void packet(boolean fromClient, byte[] buf, int off, int len, long nanos) {
        (fromClient ? c2s : s2c).packet(buf, off, len, nanos);
    }

    @Override
    public void publish(FlowContext ctx) {
        // keys written out, so that the privacy inventory test sees each one
        if (c2s.packets > 0) {
            ctx.put(Registration.RTP_PACKETS_C2S.key(), c2s.packets);
            ctx.put(Registration.RTP_LOSS_PCT_C2S.key(), c2s.lossFigure());
            ctx.put(Registration.RTP_JITTER_MS_C2S.key(), c2s.jitterFigure());
            ctx.put(Registration.RTP_MOS_C2S.key(), c2s.mosFigure());
        }
        if (s2c.packets > 0) {
            ctx.put(Registration.RTP_PACKETS_S2C.key(), s2c.packets);
            ctx.put(Registration.RTP_LOSS_PCT_S2C.key(), s2c.lossFigure());
            ctx.put(Registration.RTP_JITTER_MS_S2C.key(), s2c.jitterFigure());
            ctx.put(Registration.RTP_MOS_S2C.key(), s2c.mosFigure());
        }
    }
}
