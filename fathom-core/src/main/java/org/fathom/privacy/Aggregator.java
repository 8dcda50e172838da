package org.fathom.privacy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fathom.net.Cidr;
import org.fathom.record.AggregateRecord;
import org.fathom.record.FlowRecord;

/**
 * Aggregate mode's statistics: per time bucket, network segment, protocol, application and
 * category, with the distinct subscribers of each group counted only up to k (so memory per group
 * is bounded). At the end, groups with fewer than k distinct subscribers are not published; per
 * bucket and segment they are summed into one "(suppressed)" row, itself published only if it
 * reaches k, and the bucket total row is the sum of the published rows, so every published total
 * adds up and none reveals a suppressed group by subtraction. Traffic with no subscriber side
 * (segment {@code other}) concerns no subscriber and is published as is.
 */
final class Aggregator {
    static final String OTHER = "other";
    static final String SUPPRESSED = "(suppressed)";

    private final SubscriberNetworks subscribers;
    private final long bucketNanos;
    private final int k;
    private final Double epsilon;
    private final Map<Key, Group> groups = new HashMap<>();
    long suppressedGroups;
    double epsilonSpent;

    private record Key(long bucket, String segment, String protocol, String application, String category) { }

    private static final class Group {
        long flows, packets, up, down;
        /** Distinct subscribers. */
        Set<Addr> subs = new HashSet<>();
    }

    private record Addr(long hi, long lo) { }

    Aggregator(SubscriberNetworks subscribers, long bucketNanos, int k, Double epsilon) {
        this.subscribers = subscribers;
        this.bucketNanos = bucketNanos;
        this.k = k;
        this.epsilon = epsilon;
    }

    void add(FlowRecord r) {
        Addr sub = null;
        Cidr seg = subscribers.segmentOf(r.srcHi(), r.srcLo());
        if (seg != null) {
            sub = new Addr(r.srcHi(), r.srcLo());
        } else {
            seg = subscribers.segmentOf(r.dstHi(), r.dstLo());
            if (seg != null) {
                sub = new Addr(r.dstHi(), r.dstLo());
            }
        }
        // an interim record (active timeout) is more traffic of a flow counted already, in the
        // bucket where that traffic was seen, not another flow
        boolean interim = "active".equals(r.endReason());
        long bucket = Math.floorDiv(interim ? r.lastSeenNanos() : r.firstSeenNanos(), bucketNanos);
        Key key = new Key(bucket, seg == null ? OTHER : seg.text(), r.protocol(), r.application(), r.category());
        Group g = groups.computeIfAbsent(key, x -> new Group());
        if (!interim) {
            g.flows++;
        }
        g.packets += r.packetsC2s() + r.packetsS2c();
        boolean subIsClient = seg != null && sub.hi() == r.srcHi() && sub.lo() == r.srcLo();
        g.up += subIsClient || sub == null ? r.bytesC2s() : r.bytesS2c();
        g.down += subIsClient || sub == null ? r.bytesS2c() : r.bytesC2s();
        if (sub != null) {
            g.subs.add(sub);
        }
    }

    /** The rows to publish, bucket by bucket. */
    List<AggregateRecord> publish() {
        TreeMap<String, List<Map.Entry<Key, Group>>> byBucketSegment = new TreeMap<>();
        for (Map.Entry<Key, Group> e : groups.entrySet()) {
            byBucketSegment.computeIfAbsent(String.format("%020d|%s", e.getKey().bucket(), e.getKey().segment()), x -> new ArrayList<>()).add(e);
        }
        List<AggregateRecord> rows = new ArrayList<>();
        for (List<Map.Entry<Key, Group>> list : byBucketSegment.values()) {
            list.sort(Map.Entry.comparingByKey(java.util.Comparator.comparing(Key::protocol).thenComparing(Key::application).thenComparing(Key::category)));
            Key first = list.getFirst().getKey();
            boolean other = first.segment().equals(OTHER);
            long[] total = new long[5];
            Group rest = new Group();
            for (Map.Entry<Key, Group> e : list) {
                Group g = e.getValue();
                Key key = e.getKey();
                if (other || g.subs.size() >= k) {
                    rows.add(row(key.bucket(), key.segment(), key.protocol(), key.application(), key.category(), g, other));
                    addTo(total, g, other);
                } else {
                    suppressedGroups++;
                    rest.flows += g.flows;
                    rest.packets += g.packets;
                    rest.up += g.up;
                    rest.down += g.down;
                    rest.subs.addAll(g.subs);
                }
            }
            if (rest.flows > 0 && rest.subs.size() >= k) {
                rows.add(row(first.bucket(), first.segment(), SUPPRESSED, SUPPRESSED, SUPPRESSED, rest, false));
                addTo(total, rest, false);
            }
            if (total[1] > 0) {
                rows.add(new AggregateRecord(first.bucket() * bucketNanos, bucketNanos, first.segment(), "*", "*", "*",
                        total[0], total[1], total[2], total[3], total[4], epsilon != null && !other));
            }
        }
        if (epsilon != null) {
            rows = noisy(rows);
        }
        return rows;
    }

    private AggregateRecord row(long bucket, String segment, String p, String a, String c, Group g, boolean other) {
        long subs = other ? 0 : g.subs.size();
        return new AggregateRecord(bucket * bucketNanos, bucketNanos, segment, p, a, c, subs, g.flows, g.packets, g.up, g.down, false);
    }

    private static void addTo(long[] t, Group g, boolean other) {
        t[0] += other ? 0 : g.subs.size();
        t[1] += g.flows;
        t[2] += g.packets;
        t[3] += g.up;
        t[4] += g.down;
    }

    /**
     * Laplace noise on the subscriber and flow counts of subscriber rows (sensitivity 1), the
     * budget split evenly over them (sequential composition); totals are re-summed from the noisy
     * rows so they still add up.
     */
    private List<AggregateRecord> noisy(List<AggregateRecord> rows) {
        long n = rows.stream().filter(r -> !r.segment().equals(OTHER) && !r.protocol().equals("*")).count();
        if (n == 0) {
            return rows;
        }
        double perCount = epsilon / (2.0 * n);
        SecureRandom rnd = new SecureRandom();
        List<AggregateRecord> out = new ArrayList<>();
        Map<String, long[]> totals = new HashMap<>();
        for (AggregateRecord r : rows) {
            if (r.protocol().equals("*")) {
                continue;
            }
            AggregateRecord x = r;
            if (!r.segment().equals(OTHER)) {
                long subs = Math.max(0, Math.round(r.subscribers() + laplace(rnd, 1 / perCount)));
                long flows = Math.max(0, Math.round(r.flows() + laplace(rnd, 1 / perCount)));
                x = new AggregateRecord(r.bucketStartNanos(), r.bucketNanos(), r.segment(), r.protocol(), r.application(),
                        r.category(), subs, flows, r.packets(), r.bytesUp(), r.bytesDown(), true);
                epsilonSpent += 2 * perCount;
            }
            out.add(x);
            long[] t = totals.computeIfAbsent(x.bucketStartNanos() + "|" + x.segment(), z -> new long[5]);
            t[0] += x.subscribers();
            t[1] += x.flows();
            t[2] += x.packets();
            t[3] += x.bytesUp();
            t[4] += x.bytesDown();
        }
        List<AggregateRecord> result = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            AggregateRecord x = out.get(i);
            result.add(x);
            boolean last = i == out.size() - 1 || out.get(i + 1).bucketStartNanos() != x.bucketStartNanos()
                    || !out.get(i + 1).segment().equals(x.segment());
            if (last) {
                long[] t = totals.get(x.bucketStartNanos() + "|" + x.segment());
                result.add(new AggregateRecord(x.bucketStartNanos(), x.bucketNanos(), x.segment(), "*", "*", "*",
                        t[0], t[1], t[2], t[3], t[4], !x.segment().equals(OTHER)));
            }
        }
        return result;
    }

    private static double laplace(SecureRandom rnd, double scale) {
        double u = rnd.nextDouble() - 0.5;
        return -scale * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
    }
}
