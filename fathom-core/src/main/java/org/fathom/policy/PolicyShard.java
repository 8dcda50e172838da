package org.fathom.policy;

import java.util.Arrays;
import java.util.Map;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.fathom.flow.FlowEnd;
import org.fathom.flow.FlowTable;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.protocol.Classification;
import org.fathom.protocol.Classifier;
import org.fathom.record.VerdictRecord;

/**
 * One worker's part of the {@link PolicyEngine}: the verdicts of the flows the worker owns. Not
 * thread-safe: its worker drives it, in packet order, at the flow lifecycle's events (the same
 * started, classified and ended as {@code lifecycle.FlowEvents}, called by the worker itself so
 * that the verdict of a flow is decided before other listeners hear of it) and at each packet. Per flow it keeps
 * three verdicts in arrays indexed by flow id (no allocation per packet):
 * <ul>
 *   <li><b>decided</b>: the first flow rule that matches, known at the flow's first packet when
 *       addresses, ports, VLAN and time suffice, else when the flow is classified (written to the
 *       {@link VerdictTable} for the packet path);</li>
 *   <li><b>current</b>: what applies to the packet now: the decided verdict or an alert's or
 *       call's verdict in force (the table's events), the first rule winning; null before any
 *       (packets before the verdict pass: counted apart);</li>
 *   <li><b>applied</b>: the first alert or call verdict that applied to any of its packets. The
 *       record says ({@code policy.rule}, {@code policy.action}) the first of the flow's own
 *       verdict at its end (what its final classification selects) and this one</li>
 * </ul>
 */
public final class PolicyShard {
    private final PolicyEngine engine;
    /** The policy this shard decides with: the engine's, noticed at the next packet after a reload. */
    private Policy policy;
    private final VerdictTable table;
    private final PrivacyGuard guard;
    private final Facts facts = new Facts();
    private Verdict[] decided = new Verdict[1024];
    private Verdict[] current = new Verdict[1024];
    private Verdict[] applied = new Verdict[1024];
    /** The classifier's revision when the flow's verdict was last decided; 0: not watched (final). */
    private long[] revision = new long[1024];
    /** Per flow: the {@link #epoch} its verdict was decided in; another one: decide again (a reload). */
    private int[] decidedIn = new int[1024];
    /**
     * Rounds of decisions: 1 for the first, one more per reload noticed and per {@code time:}
     * boundary passed (each decides every live flow again at its next packet).
     */
    private int epoch = 1;
    /** Why the last round began: {@code reload} or {@code time} (the cause of the verdict changes it brings). */
    private String epochCause = "reload";
    /** Capture time at which a flow rule's {@code time:} range opens or closes next; unset before the first packet. */
    private long nextBoundary = UNSET;
    private static final long UNSET = Long.MIN_VALUE;
    private long[][] hits;
    private long beforePackets;
    private long beforeBytes;

    PolicyShard(PolicyEngine engine, PrivacyGuard guard) {
        this.engine = engine;
        this.policy = engine.policy();
        this.table = engine.verdicts();
        this.guard = guard;
        this.hits = new long[policy.rules().size() + 1][PolicyEngine.COUNTERS];
    }

    private void ensure(int f) {
        if (f >= decided.length) {
            int n = Math.max(f + 1, decided.length * 2);
            decided = Arrays.copyOf(decided, n);
            current = Arrays.copyOf(current, n);
            applied = Arrays.copyOf(applied, n);
            revision = Arrays.copyOf(revision, n);
            decidedIn = Arrays.copyOf(decidedIn, n);
        }
    }

    private Facts facts(FlowTable t, int f, long nanos) {
        return facts.endpoints(t.l4(f), t.addrHi(f, true), t.addrLo(f, true), t.port(f, true), t.addrHi(f, false),
                t.addrLo(f, false), t.port(f, false), t.vlan(f)).unclassified();
    }

    /** A flow's first packet was accounted. */
    public void started(FlowTable t, int f) {
        ensure(f);
        current[f] = null;
        applied[f] = null;
        revision[f] = 0;
        decidedIn[f] = epoch;
        Facts x = facts(t, f, 0);
        x.nanos = t.firstSeen(f);
        Verdict v = policy.decideFlow(x, false);
        decided[f] = v;
        if (v != null) {
            publish(t, f, v, "flow_start", x.nanos);
        }
    }

    /** Whether flow {@code f} still waits for its classification to be decided. */
    public boolean undecided(int f) {
        return f >= decided.length || decided[f] == null;
    }

    /** The flow's protocol and application are known (at most once per flow). */
    public void classified(FlowTable t, int f, Classification c) {
        ensure(f);
        if (decided[f] != null) {
            return;   // decided at the first packet: no rule that needs classification came first
        }
        Facts x = facts(t, f, 0).classified(c.protocol(), c.application(), c.category(), c.confidence(), c.metadata(), c.risks());
        x.nanos = t.lastSeen(f);
        Verdict v = policy.decideFlow(x, true);
        decided[f] = v;
        decidedIn[f] = epoch;
        revision[f] = v.index() == 0 ? 0 : -1;   // an earlier rule may still match on later facts: watch
        publish(t, f, v, "classified", x.nanos);
    }

    /**
     * Inspection of a classified flow learned more (a risk from the server's answer, a name in a
     * later packet): decide again, as the packet path would. Facts only accumulate, so the verdict
     * moves to an earlier rule if any; the first rule ends the watch.
     */
    private void refresh(FlowTable t, int f, Classifier classifier) {
        long r = classifier.revision(t, f);
        if (revision[f] == -1) {
            revision[f] = r;   // the facts the classification-time verdict saw
            return;
        }
        if (r == revision[f]) {
            if (!classifier.inspecting(t, f)) {
                revision[f] = 0;   // inspection is over: nothing will change any more
            }
            return;
        }
        revision[f] = r;
        Classification c = classifier.verdict(t, f);
        Facts x = facts(t, f, 0).classified(c.protocol(), c.application(), c.category(), c.confidence(), c.metadata(), c.risks());
        x.nanos = t.lastSeen(f);
        Verdict v = policy.decideFlow(x, true);
        Verdict old = decided[f];
        if (v != old) {
            decided[f] = v;
            if (v.isDefault()) {
                table.removeFlow(t.l4(f), t.addrHi(f, true), t.addrLo(f, true), t.port(f, true), t.addrHi(f, false),
                        t.addrLo(f, false), t.port(f, false), t.vlan(f));
            } else {
                publish(t, f, v, "reclassified", x.nanos);
            }
        }
        if (v.index() == 0) {
            revision[f] = 0;
        }
    }

    /** A flow's own verdict is known: into the table for the packet path (the default needs no entry). */
    private void publish(FlowTable t, int f, Verdict v, String cause, long nanos) {
        if (!v.isDefault()) {
            table.putFlow(t.l4(f), t.addrHi(f, true), t.addrLo(f, true), t.port(f, true), t.addrHi(f, false),
                    t.addrLo(f, false), t.port(f, false), t.vlan(f), v);
        }
    }

    /**
     * One packet of flow {@code f}, after the flow table and the classifier saw it: the verdict
     * that applies to it, counted, and logged when it changed. Allocates nothing unless the
     * verdict changed.
     */
    public void packet(FlowTable t, int f, DecodedPacket d, Classifier classifier) {
        ensure(f);
        Policy p = engine.policy();   // the one volatile read per packet: has a reload put another policy in force?
        if (p != policy) {
            rebase(p);
        }
        long ts = d.timestampNanos;
        if (ts >= nextBoundary) {   // a time: range opened or closed: every live flow is decided again
            if (nextBoundary != UNSET) {
                epoch++;
                epochCause = "time";
            }
            nextBoundary = policy.nextBoundary(ts);
        }
        boolean reloaded = false;
        if (decidedIn[f] != epoch) {
            redecide(t, f, classifier, d.timestampNanos);
            reloaded = true;
        } else if (revision[f] != 0) {
            refresh(t, f, classifier);
        }
        Verdict v = decided[f];
        Verdict e = table.lookupEvents(d);
        if (e != null && !PolicyEngine.belongs(policy, e)) {
            e = PolicyEngine.follow(policy, e);   // written under the policy before, in the moment of a reload
        }
        if (e != null && (v == null || e.index() < v.index())) {
            v = e;
        }
        if (v == null) {
            beforePackets += d.frames;
            beforeBytes += d.wireBytes;
        } else {
            long[] h = hits[PolicyEngine.slot(policy, v)];
            h[PolicyEngine.PACKETS] += d.frames;
            h[PolicyEngine.BYTES] += d.wireBytes;
            Verdict a = applied[f];
            if (v == e && (a == null || v.index() < a.index())) {
                applied[f] = v;   // an alert's or call's verdict applied to this flow
            }
        }
        Verdict was = current[f];
        if (v != was) {
            current[f] = v;
            if (v != null && (!v.isDefault() || was != null && !was.isDefault())) {
                log(t, f, v, was, reloaded ? epochCause : cause(v, e), d.timestampNanos);
            }
        }
    }

    /**
     * A reload put {@code p} in force: this shard's counts so far go to the engine (under the rules
     * they were counted for, followed by name), and every live flow is decided again at its next
     * packet ({@link #decidedIn} no longer matches).
     */
    private void rebase(Policy p) {
        engine.merge(policy, hits, beforePackets, beforeBytes);
        beforePackets = beforeBytes = 0;
        policy = p;
        hits = new long[p.rules().size() + 1][PolicyEngine.COUNTERS];
        epoch++;
        epochCause = "reload";
        nextBoundary = UNSET;   // the new policy's ranges: computed at this packet
    }

    /**
     * Decides flow {@code f} again under the policy now in force, as if it had started under it:
     * from its addresses and ports, and its classification if it has one. The table gets the new
     * verdict (or loses the old one); the verdict applied so far follows its rule by name, so a
     * flow whose rule kept its name and action logs no change.
     */
    private void redecide(FlowTable t, int f, Classifier classifier, long nanos) {
        decidedIn[f] = epoch;
        Verdict old = decided[f];
        Facts x = facts(t, f, 0);
        x.nanos = nanos;
        Verdict v;
        boolean known = classifier.classified(t, f);
        if (known) {
            Classification c = classifier.verdict(t, f);
            x.classified(c.protocol(), c.application(), c.category(), c.confidence(), c.metadata(), c.risks());
            v = policy.decideFlow(x, true);
            revision[f] = v.index() == 0 ? 0 : -1;
        } else {
            v = policy.decideFlow(x, false);   // null: waits for the classification, as a new flow would
            revision[f] = 0;
        }
        decided[f] = v;
        if (v == null || v.isDefault()) {
            if (old != null && !old.isDefault()) {
                table.removeFlow(t.l4(f), t.addrHi(f, true), t.addrLo(f, true), t.port(f, true), t.addrHi(f, false),
                        t.addrLo(f, false), t.port(f, false), t.vlan(f));
            }
        } else {
            publish(t, f, v, "reload", nanos);
        }
        Verdict a = applied[f];
        applied[f] = a == null ? null : PolicyEngine.follow(policy, a);
        Verdict c = current[f];
        Verdict n = c == null ? null : PolicyEngine.follow(policy, c);
        if (n != null && n.action() == c.action() && n.dscp() == c.dscp() && n.rateBitsPerSecond() == c.rateBitsPerSecond()) {
            current[f] = n;   // the same rule doing the same: no change to log
        }   // else the old verdict stays as "current": the next verdict differs from it and is logged (cause reload)
    }

    private String cause(Verdict v, Verdict fromEvents) {
        if (v == fromEvents) {
            return policy.rules().get(v.index()).kind() == Match.Kind.ALERT ? "alert" : "call";
        }
        return v.isDefault() ? "expired" : policy.rules().get(v.index()).match().needsClassification() ? "classified" : "flow_start";
    }

    /** Whether the flow's verdict is still being watched for later facts (tests). */
    boolean watching(int f) {
        return f < revision.length && revision[f] != 0;
    }

    private void log(FlowTable t, int f, Verdict v, Verdict was, String cause, long nanos) {
        guard.emitVerdict(new VerdictRecord(nanos, "flow", v.ruleLabel(), v.action().label(), v.dscp(),
                v.rateBitsPerSecond(), was == null ? null : was.ruleLabel(), cause, IpProtocol.name(t.l4(f)),
                t.addrHi(f, true), t.addrLo(f, true), t.port(f, true), t.addrHi(f, false), t.addrLo(f, false),
                t.port(f, false), t.vlan(f), 0));
    }

    /**
     * Puts the flow's verdict on its record: the first of its own verdict (as its latest facts
     * decide it; a flow whose classification changed keeps the verdict of what it became) and the
     * alert and call verdicts that applied to any of its packets. A
     * flow that ended before any verdict (never classified) gets the one its final classification
     * selects, as "would have applied".
     *
     * @param last whether this is the flow's last record (counted as a flow), not an interim one
     */
    public void annotate(FlowTable t, int f, Classification c, boolean last) {
        ensure(f);
        if (decidedIn[f] != epoch || policy != engine.policy()) {
            // no packet since a reload: the flow's verdicts as the policy in force has them (by rule
            // name); a flow whose rule is gone is decided on its final classification below
            if (policy != engine.policy()) {
                rebase(engine.policy());
            }
            decidedIn[f] = epoch;
            Verdict d = decided[f];
            decided[f] = d == null ? null : PolicyEngine.follow(policy, d);
            Verdict a = applied[f];
            applied[f] = a == null ? null : PolicyEngine.follow(policy, a);
            Verdict cur = current[f];
            current[f] = cur == null ? null : PolicyEngine.follow(policy, cur);
        }
        Verdict v = decided[f];
        if (v == null && last) {
            Facts x = facts(t, f, 0).classified(c.protocol(), c.application(), c.category(), c.confidence(), c.metadata(), c.risks());
            x.nanos = t.lastSeen(f);
            v = policy.decideFlow(x, true);
            decided[f] = v;
            if (!v.isDefault() && applied[f] == null) {
                log(t, f, v, null, "flow_end", x.nanos);
            }
        }
        Verdict a = applied[f];
        if (a != null && (v == null || a.index() < v.index())) {
            v = a;
        }
        if (v == null) {
            v = policy.fallback();   // an interim record of a flow still undecided
        }
        Map<String, Object> meta = c.metadata();
        meta.put("policy.rule", v.ruleLabel());
        meta.put("policy.action", v.action().label());
        if (last) {
            hits[PolicyEngine.slot(policy, v)][PolicyEngine.FLOWS]++;
        }
    }

    /** The flow ends (its record has been annotated); its id is free after the call. */
    public void ended(FlowTable t, int f, FlowEnd reason) {
        ensure(f);
        Verdict v = decided[f];
        if (v != null && !v.isDefault()) {
            table.removeFlow(t.l4(f), t.addrHi(f, true), t.addrLo(f, true), t.port(f, true), t.addrHi(f, false),
                    t.addrLo(f, false), t.port(f, false), t.vlan(f));
        }
        decided[f] = current[f] = applied[f] = null;
        revision[f] = 0;
        decidedIn[f] = 0;
    }

    /** The worker has finished: its counts join the engine's. */
    public void finish() {
        engine.merge(policy, hits, beforePackets, beforeBytes);
        for (long[] h : hits) {
            Arrays.fill(h, 0);
        }
        beforePackets = beforeBytes = 0;
    }
}
