package org.fathom.voip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.fathom.record.CallRecord;

/**
 * Counts over all calls of a run, kept inside the engine (no personal data: counts,
 * distributions and per-minute buckets only), so that even aggregate privacy mode can print them.
 * Thread-safe.
 */
public final class CallStats {
    public static final List<String> OUTCOMES = List.of("completed", "dropped", "busy", "no_answer", "cancelled",
            "redirected", "rejected", "failed", "in_progress");
    /** MOS classes, from best: at least 4.3, 4.0, 3.6, 3.1, 2.6, below. */
    public static final double[] MOS_CLASSES = {4.3, 4.0, 3.6, 3.1, 2.6};

    private final long[] outcomes = new long[OUTCOMES.size()];
    private long answered;
    private long emergency;
    private long rtpStreams;
    private final long[] mosClasses = new long[MOS_CLASSES.length + 1];
    private final List<Long> pdd = new ArrayList<>();
    private final TreeMap<Long, long[]> perMinute = new TreeMap<>();

    public synchronized void add(CallRecord c) {
        int o = OUTCOMES.indexOf(c.outcome());
        if (o >= 0) {
            outcomes[o]++;
        }
        if (c.answerNanos() > 0) {
            answered++;
        }
        if (c.emergency()) {
            emergency++;
        }
        if (c.pddMs() >= 0 && pdd.size() < 1_000_000) {
            pdd.add(c.pddMs());
        }
        for (CallRecord.MediaStream m : c.media()) {
            rtpStreams++;
            int k = 0;
            while (k < MOS_CLASSES.length && m.mos() < MOS_CLASSES[k]) {
                k++;
            }
            mosClasses[k]++;
        }
        long minute = Math.floorDiv(c.startNanos(), 60_000_000_000L);
        if (o >= 0 && (perMinute.containsKey(minute) || perMinute.size() < 100_000)) {
            perMinute.computeIfAbsent(minute, m -> new long[OUTCOMES.size()])[o]++;
        }
    }

    public synchronized long count(String outcome) {
        return outcomes[OUTCOMES.indexOf(outcome)];
    }

    public synchronized long attempts() {
        long n = 0;
        for (long v : outcomes) {
            n += v;
        }
        return n;
    }

    public synchronized long answered() {
        return answered;
    }

    public synchronized long emergency() {
        return emergency;
    }

    public synchronized long blocked() {
        return count("rejected") + count("failed");
    }

    /** Attempts with a decided outcome (all but in_progress). */
    public synchronized long decided() {
        return attempts() - count("in_progress");
    }

    /** Answer-seizure ratio: answered / decided attempts, in percent (NaN without calls). */
    public synchronized double asr() {
        return decided() == 0 ? Double.NaN : 100.0 * answered / decided();
    }

    /**
     * Network effectiveness ratio (after ITU-T E.411): attempts that the network carried to a
     * user decision (answered, busy, no answer, cancelled, redirected) over decided attempts.
     */
    public synchronized double ner() {
        long ok = answered + count("busy") + count("no_answer") + count("cancelled") + count("redirected");
        return decided() == 0 ? Double.NaN : 100.0 * Math.min(ok, decided()) / decided();
    }

    /** PDD percentile in ms (nearest rank), -1 without samples. */
    public synchronized long pddPercentile(double p) {
        if (pdd.isEmpty()) {
            return -1;
        }
        List<Long> s = new ArrayList<>(pdd);
        Collections.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    public synchronized long[] mosClasses() {
        return mosClasses.clone();
    }

    public synchronized long rtpStreams() {
        return rtpStreams;
    }

    /** Calls per outcome (in {@link #OUTCOMES} order) per minute of call start (epoch minutes). */
    public synchronized TreeMap<Long, long[]> perMinute() {
        TreeMap<Long, long[]> m = new TreeMap<>();
        perMinute.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }
}
