package org.fathom.voip;

import java.util.Map;
import org.fathom.record.CallRecord;

/**
 * Quality of one RTP direction (RFC 3550 appendix A.1 and A.8): packets, loss from extended
 * sequence numbers (wrap counted in cycles), interarrival jitter in RTP clock units using the
 * codec's clock rate, the largest gap between packets. A new SSRC restarts sequence tracking and
 * adds the old source's counts to the totals. Comfort noise (CN, RFC 3389) and telephone-event
 * packets are packets of the stream (sequence, jitter, gaps) but do not change its codec.
 */
final class RtpStream extends org.fathom.protocol.rtp.RtpSequence {
    final Call call;
    /** Packets to the caller (their payload types are the caller's, from its SDP). */
    final boolean toCaller;
    final String direction;
    String codec;
    int payloadType = -1;
    int clockRate = 8000;
    long packets;
    long lastNanos;
    long maxGapNanos;

    RtpStream(Call call, boolean toCaller) {
        this.call = call;
        this.toCaller = toCaller;
        this.direction = toCaller ? "callee_to_caller" : "caller_to_callee";
    }

    /** Payload type names for this direction: the receiver's SDP, else the sender's. */
    private Map<Integer, String> rtpmap() {
        Call c = call;
        if (c == null) {
            return Map.of();
        }
        Map<Integer, String> mine = toCaller ? c.callerRtpmap : c.calleeRtpmap;
        return mine.isEmpty() ? (toCaller ? c.calleeRtpmap : c.callerRtpmap) : mine;
    }

    void onPacket(byte[] b, int off, int len, long nanos) {
        int pt = b[off + 1] & 0x7f;
        int seq = (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
        long ts = ((long) (b[off + 4] & 0xff) << 24) | (b[off + 5] & 0xff) << 16 | (b[off + 6] & 0xff) << 8 | (b[off + 7] & 0xff);
        long src = ((long) (b[off + 8] & 0xff) << 24) | (b[off + 9] & 0xff) << 16 | (b[off + 10] & 0xff) << 8 | (b[off + 11] & 0xff);
        if (pt >= 72 && pt <= 76) {
            return; // RTCP multiplexed on the RTP port
        }
        // comfort noise (RFC 3389) is media of the same stream: it advances the sequence numbers
        // and the clock like speech, so it counts as received, never as lost
        packets++;
        if (pt != payloadType) {
            String name = Codecs.name(pt, rtpmap());
            if (codec == null || !(name.regionMatches(true, 0, "telephone-event", 0, 15)
                    || name.regionMatches(true, 0, "CN/", 0, 3))) {
                payloadType = pt;
                codec = name;
                clockRate = Codecs.clockRate(name);
            }
        }
        if (packets > 1) {
            maxGapNanos = Math.max(maxGapNanos, nanos - lastNanos);
        }
        lastNanos = nanos;
        sequence(src, seq);
        transit(nanos, ts, clockRate);
    }

    double jitterMs() {
        return jitterMs(clockRate);
    }

    CallRecord.MediaStream toRecord() {
        double loss = round(lossPct(), 2);
        double jit = round(jitterMs(), 2);
        return new CallRecord.MediaStream(direction, codec, packets, loss, jit, maxGapNanos / 1_000_000,
                round(EModel.mos(codec, loss, jit), 2));
    }

    static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }
}
