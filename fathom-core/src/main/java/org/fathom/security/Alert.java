package org.fathom.security;

import java.util.ArrayList;
import java.util.List;
import org.fathom.decode.DecodedPacket;
import org.fathom.record.AlertRecord;

/** One open attack, updated in place while it goes on. */
final class Alert {
    final String kind;
    final long hi, lo;
    final int port;
    final String protocol;
    final long start, detected;
    long last;
    long packets, bytes;
    double peakPps, peakBps;
    String detail;
    /**
     * The detail of a scan or abuse alert, kept as numbers while the attack goes on (it changes
     * with every probe) and written out once, in {@link #record()}: no string is built per packet.
     */
    static final int NO_COUNTS = 0, PORT_SCAN = 1, HOST_SCAN = 2, SPAM_RUN = 3, BRUTE_FORCE = 4, SIP_REGISTER = 5;
    int detailFormat = NO_COUNTS;
    long detailA, detailB;
    final Sources sources = new Sources();
    /** Whether each packet's source is counted: floods yes; scans and abuse have one source (the prober). */
    private final boolean countSources;
    private long second = Long.MIN_VALUE;
    private final CaptureSecond clock = new CaptureSecond();
    private long secPackets, secBytes, prevPackets, prevBytes;

    Alert(String kind, long hi, long lo, int port, String protocol, long start, long detected) {
        this.kind = kind;
        this.hi = hi;
        this.lo = lo;
        this.port = port;
        this.protocol = protocol;
        this.start = start;
        this.detected = detected;
        this.last = detected;
        this.countSources = !kind.endsWith("scan") && !kind.equals("spam_run") && !kind.equals("brute_force");
    }

    /** The scan or abuse counts that make the detail, replaced on each probe while the attack goes on. */
    void counts(int format, long a, long b) {
        detailFormat = format;
        detailA = a;
        detailB = b;
    }

    void add(DecodedPacket d, long ts, long wireBytes) {
        add(d, ts, wireBytes, AttackDetector.mix(d.srcHi, d.srcLo));
    }

    /** As {@link #add(DecodedPacket, long, long)}, with the hash of the packet's source already made by the caller. */
    void add(DecodedPacket d, long ts, long wireBytes, long srcHash) {
        packets += d.frames;
        bytes += wireBytes;
        last = Math.max(last, ts);
        rollSecond(clock.of(ts));
        long inSecond = ts - clock.start();
        secPackets += d.frames;
        secBytes += wireBytes;
        double frac = 1 - (double) inSecond / 1e9;
        peakPps = Math.max(peakPps, secPackets + prevPackets * frac);
        peakBps = Math.max(peakBps, 8 * (secBytes + prevBytes * frac));
        if (countSources) {
            sources.add(d.srcHi, d.srcLo, srcHash);
        }
    }

    private void rollSecond(long sec) {
        if (sec != second) {
            prevPackets = sec == second + 1 ? secPackets : 0;
            prevBytes = sec == second + 1 ? secBytes : 0;
            secPackets = secBytes = 0;
            second = sec;
        }
    }

    AlertRecord record() {
        long n = sources.count();
        String det = switch (detailFormat) {
            case PORT_SCAN -> detailA + " ports probed";
            case HOST_SCAN -> detailA + " hosts probed on port " + detailB;
            case SPAM_RUN -> detailA + " mail servers, " + detailB + " RCPT";
            case BRUTE_FORCE -> detailB + " connection attempts";
            case SIP_REGISTER -> detailB + " SIP REGISTER";
            default -> detail;
        };
        if (n >= 100 && packets / Math.max(1, n) <= 10) {
            det = (det == null ? "" : det + "; ") + "spoofed sources likely (" + n + " sources, few packets each)";
        }
        return new AlertRecord(kind, hi, lo, port, protocol, start, last, peakPps, peakBps, packets, bytes,
                n, sources.top(), Math.max(0, (detected - start) / 1_000_000), det);
    }

    /** Distinct sources (linear counting over 4096 bits) and the heaviest few (Misra-Gries, 10 counters). */
    static final class Sources {
        private final long[] bits = new long[64];
        private final long[] hi = new long[10], lo = new long[10];
        private final long[] cnt = new long[10];

        void add(long h, long l) {
            add(h, l, AttackDetector.mix(h, l));
        }

        /** {@code hash} is {@code AttackDetector.mix(h, l)}, made once per packet by the caller. */
        void add(long h, long l, long hash) {
            AttackDetector.setBit(bits, (int) (hash & 4095));
            int free = -1;
            for (int i = 0; i < 10; i++) {
                if (cnt[i] > 0 && hi[i] == h && lo[i] == l) { cnt[i]++; return; }
                if (cnt[i] == 0 && free < 0) free = i;
            }
            if (free >= 0) { hi[free] = h; lo[free] = l; cnt[free] = 1; return; }
            for (int i = 0; i < 10; i++) cnt[i]--;
        }

        long count() {
            return Math.round(AttackDetector.distinct(bits, 4096));
        }

        List<long[]> top() {
            List<long[]> l = new ArrayList<>();
            Integer[] idx = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
            java.util.Arrays.sort(idx, (a, b) -> Long.compare(cnt[b], cnt[a]));
            for (int i : idx) if (cnt[i] > 0) l.add(new long[] {hi[i], lo[i]});
            return l;
        }
    }
}
