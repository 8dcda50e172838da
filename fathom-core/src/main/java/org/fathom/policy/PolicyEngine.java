package org.fathom.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fathom.analysis.AnalysisEvents;
import org.fathom.decode.IpProtocol;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.record.CallRecord;
import org.fathom.record.VerdictRecord;

/**
 * A policy at work in the engine: decides verdicts as the engine learns about flows, alerts and
 * calls, keeps them in the {@link VerdictTable} for the packet path, writes each change to the
 * verdict log (through the privacy guard), puts the rule and action on flow and call records, and
 * counts hits per rule. One per run of the command; handed to the engine with
 * {@code AnalysisOptions.withPolicy}.
 *
 * <p>Where each part runs:
 * <ul>
 *   <li>{@link #shard}: one per worker, on the worker's thread: a flow's verdict when its facts are
 *       known (first packet for address and port rules, else classification), and each packet's
 *       verdict as it would be applied (dry run);</li>
 *   <li>{@link #events}: the cross-flow analyzers' listener, on their thread (the dispatcher, or
 *       the single worker): alert rules put verdicts on addresses, call rules on a call's
 *       signalling and media.</li>
 * </ul>
 * The table is the only state they share (it is thread-safe); hit counts are merged when a
 * worker finishes.
 */
public final class PolicyEngine {
    static final int FLOWS = 0, PACKETS = 1, BYTES = 2, CALLS = 3, ADDRESSES = 4, ENDPOINTS = 5, COUNTERS = 6;

    private final Policy policy;
    private final VerdictTable table;
    /** Per rule (and the default, last): the counters above. Guarded by itself. */
    private final long[][] hits;
    private long beforePackets;
    private long beforeBytes;

    public PolicyEngine(Policy policy) {
        this(policy, VerdictTable.DEFAULT_CAPACITY);
    }

    /** @param capacity entries of the verdict table at most (see {@link VerdictTable}) */
    public PolicyEngine(Policy policy, int capacity) {
        this.policy = policy;
        this.table = new VerdictTable(policy.fallback(), capacity);
        this.hits = new long[policy.rules().size() + 1][COUNTERS];
    }

    public Policy policy() {
        return policy;
    }

    /** The verdicts in force: what the packet path of an inline source looks up. */
    public VerdictTable verdicts() {
        return table;
    }

    /** One worker's part (its flows' verdicts); its records leave through {@code guard}. */
    public PolicyShard shard(int worker, PrivacyGuard guard) {
        return new PolicyShard(this, guard);
    }

    /** The cross-flow analyzers' listener (alerts and calls); its records leave through {@code guard}. */
    public AnalysisEvents events(PrivacyGuard guard) {
        return new Events(guard);
    }

    /** Writes the policy in force to the audit log: blocking is a decision about people's traffic. */
    public void audit(AuditLog log) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", policy.file());
        m.put("sha256", policy.sha256());
        m.put("name", policy.name());
        m.put("rules", policy.rules().size());
        m.put("default", policy.fallback().action().label());
        log.append("policy_in_force", m);
    }

    /** Index into the counters: the rule's, or the default's (last). */
    int slot(Verdict v) {
        return v.isDefault() ? hits.length - 1 : v.index();
    }

    void merge(long[][] local, long packets, long bytes) {
        synchronized (hits) {
            for (int i = 0; i < hits.length; i++) {
                for (int k = 0; k < COUNTERS; k++) {
                    hits[i][k] += local[i][k];
                }
            }
            beforePackets += packets;
            beforeBytes += bytes;
        }
    }

    private void count(Verdict v, int counter) {
        synchronized (hits) {
            hits[slot(v)][counter]++;
        }
    }

    /**
     * Hits of one rule (or the default, {@code rule} null): flows and calls whose record carries
     * it, packets and bytes it was applied to (after the verdict was known), addresses it flagged
     * and media endpoints it covered.
     */
    public record RuleHits(String rule, Action action, long flows, long packets, long bytes, long calls, long addresses,
                           long endpoints) {
    }

    /** Hits per rule in policy order, then the default. Complete once the engine's run has ended. */
    public List<RuleHits> hits() {
        List<RuleHits> l = new ArrayList<>();
        synchronized (hits) {
            for (int i = 0; i < hits.length; i++) {
                Verdict v = i < policy.rules().size() ? policy.rules().get(i).verdict() : policy.fallback();
                long[] h = hits[i];
                l.add(new RuleHits(v.rule(), v.action(), h[FLOWS], h[PACKETS], h[BYTES], h[CALLS], h[ADDRESSES], h[ENDPOINTS]));
            }
        }
        return l;
    }

    /** Packets that passed before their flow's verdict was known (the cost of deciding at classification). */
    public long packetsBeforeVerdict() {
        synchronized (hits) {
            return beforePackets;
        }
    }

    public long bytesBeforeVerdict() {
        synchronized (hits) {
            return beforeBytes;
        }
    }

    /** A call as the policy follows it: its verdict at the start, the media endpoints it covered. */
    private static final class CallState {
        final Facts facts = new Facts();
        Verdict verdict;
        /** Whether the call holds its signalling flow's verdict (to let go of when it ends). */
        boolean signalling;
        /** Further legs (l4, addresses, ports) whose signalling flow's verdict the call holds. */
        final List<long[]> legs = new ArrayList<>(2);
        final List<long[]> endpoints = new ArrayList<>(4);
    }

    /** Max further signalling legs the policy covers per call. */
    private static final int MAX_LEGS = 8;

    /** Max media endpoints the policy covers per call (the call analyzer caps them too). */
    private static final int MAX_ENDPOINTS = 16;

    /** The listener of the cross-flow analyzers: runs on their thread. */
    private final class Events implements AnalysisEvents {
        private final PrivacyGuard guard;

        Events(PrivacyGuard guard) {
            this.guard = guard;
        }

        @Override
        public void alertRaised(String kind, long tHi, long tLo, int tPort, boolean hasSource, long sHi, long sLo, long nanos) {
            if (hasSource) {
                flag(kind, false, sHi, sLo, nanos);
            }
            flag(kind, true, tHi, tLo, nanos);
        }

        /** The first alert rule for this role puts its verdict on the address. */
        private void flag(String kind, boolean asTarget, long hi, long lo, long nanos) {
            for (Rule r : policy.rules()) {
                if (r.kind() == Match.Kind.ALERT && r.match().matchesAlert(kind, asTarget, hi, lo, nanos)) {
                    long until = nanos > Long.MAX_VALUE - r.forNanos() ? Long.MAX_VALUE : nanos + r.forNanos();
                    if (table.putAddress(hi, lo, r.verdict(), nanos, until)) {
                        count(r.verdict(), ADDRESSES);
                        guard.emitVerdict(new VerdictRecord(nanos, "address", r.name(), r.action().label(), r.verdict().dscp(),
                                r.verdict().rateBitsPerSecond(), null, "alert:" + kind, null, hi, lo, 0, 0, 0, 0, 0, until));
                    }
                    return;
                }
            }
        }

        @Override
        public Object callStarted(boolean emergency, int l4, long cHi, long cLo, int cPort, long sHi, long sLo, int sPort,
                                  long nanos) {
            CallState c = new CallState();
            Facts f = c.facts.endpoints(l4, cHi, cLo, cPort, sHi, sLo, sPort, 0).unclassified()
                    .classified("SIP", "SIP", "VoIP", "DPI", Map.of(), List.of());
            f.call = true;
            f.emergency = emergency;
            f.nanos = nanos;
            c.verdict = policy.decideCall(f);
            if (callRule(c.verdict)) {
                c.signalling = table.putCallFlow(l4, cHi, cLo, cPort, sHi, sLo, sPort, c.verdict, nanos) != VerdictTable.REFUSED;
            }
            return c;
        }

        private boolean callRule(Verdict v) {
            return !v.isDefault() && policy.rules().get(v.index()).kind() == Match.Kind.CALL;
        }

        @Override
        public void signalling(Object call, int l4, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, long nanos) {
            if (!(call instanceof CallState c) || !callRule(c.verdict) || c.legs.size() >= MAX_LEGS) {
                return;
            }
            for (long[] g : c.legs) {
                if (g[0] == l4 && (g[1] == sHi && g[2] == sLo && g[3] == sPort && g[4] == dHi && g[5] == dLo && g[6] == dPort
                        || g[1] == dHi && g[2] == dLo && g[3] == dPort && g[4] == sHi && g[5] == sLo && g[6] == sPort)) {
                    return;
                }
            }
            if (table.putCallFlow(l4, sHi, sLo, sPort, dHi, dLo, dPort, c.verdict, nanos) != VerdictTable.REFUSED) {
                c.legs.add(new long[] {l4, sHi, sLo, sPort, dHi, dLo, dPort});
            }
        }

        @Override
        public void mediaAnnounced(Object call, long hi, long lo, int port, long nanos) {
            if (!(call instanceof CallState c) || !callRule(c.verdict) || c.endpoints.size() >= MAX_ENDPOINTS) {
                return;
            }
            for (long[] e : c.endpoints) {
                if (e[0] == hi && e[1] == lo && e[2] == port) {
                    return;
                }
            }
            Verdict v = c.verdict;
            int put = table.putEndpoint(hi, lo, port, IpProtocol.UDP, v, nanos, Long.MAX_VALUE);
            if (put != VerdictTable.REFUSED) {
                c.endpoints.add(new long[] {hi, lo, port});
            }
            if (put == VerdictTable.OPENED) {   // a change: not when another call holds the endpoint already
                count(v, ENDPOINTS);
                guard.emitVerdict(new VerdictRecord(nanos, "endpoint", v.rule(), v.action().label(), v.dscp(),
                        v.rateBitsPerSecond(), null, "call", "UDP", hi, lo, port, 0, 0, 0, 0, Long.MAX_VALUE));
            }
        }

        @Override
        public CallRecord callEnded(Object call, CallRecord r) {
            if (!(call instanceof CallState c)) {
                return r;
            }
            long end = Math.max(r.endNanos(), c.facts.nanos);
            if (c.signalling) {
                Facts f = c.facts;
                table.endCallFlow(f.l4, f.srcHi, f.srcLo, f.srcPort, f.dstHi, f.dstLo, f.dstPort, c.verdict, end);
            }
            for (long[] g : c.legs) {
                table.endCallFlow((int) g[0], g[1], g[2], (int) g[3], g[4], g[5], (int) g[6], c.verdict, end);
            }
            for (long[] e : c.endpoints) {
                table.endEndpoint(e[0], e[1], (int) e[2], IpProtocol.UDP, c.verdict, end);
            }
            // the record's verdict: the call's facts with its outcome now known (outcome rules)
            c.facts.outcome = r.outcome();
            Verdict v = policy.decideCall(c.facts);   // first match: never later than the start's verdict
            count(v, CALLS);
            return r.withPolicy(v.ruleLabel(), v.action().label());
        }
    }
}
