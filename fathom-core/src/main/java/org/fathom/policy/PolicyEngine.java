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

    /**
     * The policy in force: an immutable snapshot, replaced whole by {@link #reload}. Workers read
     * it once per packet (one volatile read) and notice a new one by its identity.
     */
    private volatile Policy policy;
    private final VerdictTable table;
    /** Guards {@link #hits}, {@link #retired} and the counters before verdicts. */
    private final Object lock = new Object();
    /** Per rule of the policy in force (and the default, last): the counters above. */
    private long[][] hits;
    /** Counters of rules a reload removed, by name (still reported). */
    private final Map<String, RuleHits> retired = new LinkedHashMap<>();
    private long reloads;
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

    /** Index into the counters of policy {@code p}: the rule's, or the default's (last). */
    static int slot(Policy p, Verdict v) {
        return v.isDefault() ? p.rules().size() : v.index();
    }

    /** Whether {@code v} is one of {@code p}'s verdicts (not a verdict of a policy replaced since). */
    static boolean belongs(Policy p, Verdict v) {
        if (v == null || v == p.fallback()) {
            return true;
        }
        int i = v.index();
        return i < p.rules().size() && p.rules().get(i).verdict() == v;
    }

    /**
     * {@code v} (a verdict of any policy this engine had) as policy {@code p} has it: itself when
     * it is {@code p}'s, else the verdict of {@code p}'s rule of the same name and kind (or
     * {@code p}'s default for a default), or null when {@code p} has no such rule.
     */
    static Verdict follow(Policy p, Verdict v) {
        if (belongs(p, v)) {
            return v;
        }
        if (v.isDefault()) {
            return p.fallback();
        }
        for (Rule r : p.rules()) {
            if (r.name().equals(v.rule())) {
                return r.verdict();
            }
        }
        return null;
    }

    /** A shard's or the listener's counters, made under policy {@code from}: added by rule name. */
    void merge(Policy from, long[][] local, long packets, long bytes) {
        synchronized (lock) {
            Policy now = policy;
            for (int i = 0; i < local.length; i++) {
                int to = i;
                if (from != now) {
                    Verdict v = i < from.rules().size() ? from.rules().get(i).verdict() : from.fallback();
                    Verdict n = follow(now, v);
                    if (n == null) {
                        retire(v, local[i]);
                        continue;
                    }
                    to = slot(now, n);
                }
                for (int k = 0; k < COUNTERS; k++) {
                    hits[to][k] += local[i][k];
                }
            }
            beforePackets += packets;
            beforeBytes += bytes;
        }
    }

    /** Under the lock: counts of a rule that is no longer in the policy. */
    private void retire(Verdict v, long[] h) {
        RuleHits was = retired.get(v.rule());
        retired.put(v.rule(), new RuleHits(v.rule(), v.action(), h[FLOWS] + (was == null ? 0 : was.flows()),
                h[PACKETS] + (was == null ? 0 : was.packets()), h[BYTES] + (was == null ? 0 : was.bytes()),
                h[CALLS] + (was == null ? 0 : was.calls()), h[ADDRESSES] + (was == null ? 0 : was.addresses()),
                h[ENDPOINTS] + (was == null ? 0 : was.endpoints())));
    }

    private void count(Verdict v, int counter) {
        synchronized (lock) {
            Verdict n = follow(policy, v);
            if (n != null) {
                hits[slot(policy, n)][counter]++;
            }
        }
    }

    /** What {@link #reload} did. */
    public record Reloaded(Policy previous, Policy next, List<VerdictTable.Lifted> lifted) {}

    /**
     * Puts {@code next} in force, keeping every flow, call, alert and address verdict: the table's
     * verdicts become the new policy's verdicts of the rules with the same names, those of rules
     * that are gone are lifted (logged through {@code guard} with cause {@code reload}, at
     * {@code nanos}), hit counts follow their rules by name. The workers notice the new policy at
     * their next packet and decide each live flow again at its next packet (see
     * {@link PolicyShard}). Any thread; reloads are serialised.
     */
    public Reloaded reload(Policy next, PrivacyGuard guard, long nanos) {
        synchronized (lock) {
            Policy was = policy;
            long[][] h = new long[next.rules().size() + 1][COUNTERS];
            for (int i = 0; i < hits.length; i++) {
                Verdict v = i < was.rules().size() ? was.rules().get(i).verdict() : was.fallback();
                Verdict n = follow(next, v);
                if (n == null) {
                    retire(v, hits[i]);
                } else {
                    long[] to = h[slot(next, n)];
                    for (int k = 0; k < COUNTERS; k++) {
                        to[k] += hits[i][k];
                    }
                }
            }
            // rules that were retired once and are back take their counts again
            for (Rule r : next.rules()) {
                RuleHits back = retired.remove(r.name());
                if (back != null) {
                    long[] to = h[r.index()];
                    to[FLOWS] += back.flows();
                    to[PACKETS] += back.packets();
                    to[BYTES] += back.bytes();
                    to[CALLS] += back.calls();
                    to[ADDRESSES] += back.addresses();
                    to[ENDPOINTS] += back.endpoints();
                }
            }
            List<VerdictTable.Lifted> lifted = table.rebase(v -> follow(next, v), next.fallback());
            hits = h;
            reloads++;
            policy = next;   // published last: a worker that sees it sees the table rebased
            if (guard != null) {
                for (VerdictTable.Lifted l : lifted) {
                    guard.emitVerdict(new VerdictRecord(nanos, l.kind(), next.fallback().ruleLabel(),
                            next.fallback().action().label(), -1, 0, l.verdict().ruleLabel(), "reload",
                            l.l4() == 0 ? null : IpProtocol.name(l.l4()), l.hi(), l.lo(), l.port(), 0, 0, 0, 0, 0));
                }
            }
            return new Reloaded(was, next, lifted);
        }
    }

    /** Policies put in force by {@link #reload} since the start. */
    public long reloads() {
        synchronized (lock) {
            return reloads;
        }
    }

    /**
     * Writes a reload to the audit log: accepted (the new policy's file hash, name and rule count)
     * or refused ({@code refusedSha256} of the file read, if it could be read, and the problem; the
     * policy in force stays and is named).
     */
    public void auditReload(AuditLog log, Policy accepted, String file, String refusedSha256, String problem) {
        Map<String, Object> m = new LinkedHashMap<>();
        Policy p = accepted != null ? accepted : policy;
        m.put("outcome", accepted != null ? "accepted" : "refused");
        m.put("file", accepted != null ? accepted.file() : file);
        if (accepted != null) {
            m.put("sha256", accepted.sha256());
            m.put("name", accepted.name());
            m.put("rules", accepted.rules().size());
            m.put("default", accepted.fallback().action().label());
        } else {
            if (refusedSha256 != null) {
                m.put("sha256", refusedSha256);
            }
            m.put("problem", problem);
            m.put("in_force_sha256", p.sha256());
            m.put("in_force_name", p.name());
            m.put("in_force_rules", p.rules().size());
        }
        log.append("policy_reload", m);
    }

    /**
     * Hits of one rule (or the default, {@code rule} null): flows and calls whose record carries
     * it, packets and bytes it was applied to (after the verdict was known), addresses it flagged
     * and media endpoints it covered.
     */
    public record RuleHits(String rule, Action action, long flows, long packets, long bytes, long calls, long addresses,
                           long endpoints) {
    }

    /**
     * Hits per rule in policy order, then the default, then the rules a reload removed. Complete
     * once the engine's run has ended.
     */
    public List<RuleHits> hits() {
        List<RuleHits> l = new ArrayList<>();
        synchronized (lock) {
            Policy policy = this.policy;
            for (int i = 0; i < hits.length; i++) {
                Verdict v = i < policy.rules().size() ? policy.rules().get(i).verdict() : policy.fallback();
                long[] h = hits[i];
                l.add(new RuleHits(v.rule(), v.action(), h[FLOWS], h[PACKETS], h[BYTES], h[CALLS], h[ADDRESSES], h[ENDPOINTS]));
            }
            l.addAll(retired.values());   // rules a reload removed, after the rules in force
        }
        return l;
    }

    /** Packets that passed before their flow's verdict was known (the cost of deciding at classification). */
    public long packetsBeforeVerdict() {
        synchronized (lock) {
            return beforePackets;
        }
    }

    public long bytesBeforeVerdict() {
        synchronized (lock) {
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
            for (Rule r : policy.rules()) {   // the policy in force now (one volatile read)
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
            Policy p = policy;
            return v != null && !v.isDefault() && belongs(p, v) && p.rules().get(v.index()).kind() == Match.Kind.CALL;
        }

        /** The call's verdict as the policy in force has it (a reload may have replaced it); null when its rule is gone. */
        private Verdict current(CallState c) {
            Verdict v = c.verdict == null ? null : follow(policy, c.verdict);
            if (v != null) {
                c.verdict = v;
            }
            return v;
        }

        @Override
        public void signalling(Object call, int l4, long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, long nanos) {
            if (!(call instanceof CallState c) || !callRule(current(c)) || c.legs.size() >= MAX_LEGS) {
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
            if (!(call instanceof CallState c) || !callRule(current(c)) || c.endpoints.size() >= MAX_ENDPOINTS) {
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
