package org.fathom.protocol.rtp;

/**
 * RTP reception statistics of one direction, as RFC 3550 appendix A defines them: loss from
 * extended sequence numbers (A.1; a wrap is counted in cycles, a new SSRC restarts tracking and
 * adds the old source's counts to the totals) and interarrival jitter in RTP timestamp units
 * (A.8). The one implementation behind the call analyzer's media streams and the flow meter of
 * RTP no signalling announced. Fixed-size state, nothing allocated per packet.
 */
public class RtpSequence {
    private long ssrc = -1;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private long received;
    private long expectedDone;
    private long receivedDone;
    private double jitter;
    private long lastTransit;
    private boolean haveTransit;

    /**
     * Accounts one packet's source and sequence number.
     *
     * @return true when it starts a new source (the first packet, or another SSRC)
     */
    protected final boolean sequence(long src, int seq) {
        if (src != ssrc) {
            if (ssrc >= 0) {
                expectedDone += expected();
                receivedDone += received;
            }
            ssrc = src;
            baseSeq = seq;
            maxSeq = seq;
            cycles = 0;
            received = 1;
            haveTransit = false;
            return true;
        }
        received++;
        int delta = (seq - maxSeq) & 0xFFFF;
        if (delta != 0 && delta < 0x8000) {
            if (seq < maxSeq) {
                cycles += 65536;
            }
            maxSeq = seq;
        }
        return false;
    }

    /** Updates the jitter with a packet's arrival ({@code nanos}) and RTP timestamp at {@code clockRate}. */
    protected final void transit(long nanos, long ts, int clockRate) {
        long arrival = (long) ((double) nanos * clockRate / 1e9);
        long transit = arrival - ts;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            if (d < (long) clockRate * 10) {
                jitter += (d - jitter) / 16.0;
            }
        }
        lastTransit = transit;
        haveTransit = true;
    }

    private long expected() {
        return cycles + maxSeq - baseSeq + 1;
    }

    /** Packets the sequence numbers say were sent, over every source. */
    public final long expectedTotal() {
        return expectedDone + (ssrc >= 0 ? expected() : 0);
    }

    /** Packets expected but not received (never negative: duplicates do not make up for losses). */
    public final long lost() {
        return Math.max(0, expectedTotal() - (receivedDone + received));
    }

    public final double lossPct() {
        long e = expectedTotal();
        return e <= 0 ? 0 : 100.0 * lost() / e;
    }

    /** The jitter in milliseconds at {@code clockRate} (0 when the rate is not known). */
    public final double jitterMs(int clockRate) {
        return clockRate == 0 ? 0 : jitter * 1000.0 / clockRate;
    }
}
