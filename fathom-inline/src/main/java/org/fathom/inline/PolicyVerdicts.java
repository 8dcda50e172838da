package org.fathom.inline;

import org.fathom.decode.DecodedPacket;
import org.fathom.policy.Policy;
import org.fathom.policy.Rule;
import org.fathom.policy.Verdict;
import org.fathom.policy.VerdictTable;

/**
 * The policy's verdict table as the queue's {@link PacketVerdicts}: each packet's verdict is what
 * {@link VerdictTable#lookup} says is in force for it (its flow's, its addresses' while an alert
 * rule's {@code for:} lasts, a call's signalling and media while the call lives), turned into what
 * the queue does. The translation is made once per rule when the policy is loaded, so a lookup
 * allocates nothing.
 *
 * <ul>
 *   <li>{@code allow}, {@code report}: accept (counted under the rule);</li>
 *   <li>{@code block}: drop;</li>
 *   <li>{@code mark}, {@code prioritise}: accept with the rule's DSCP (EF unless it says otherwise);</li>
 *   <li>{@code rate_limit}: accept while the flow's token bucket at the rule's rate has room.</li>
 * </ul>
 * The policy's default applies to every packet without a verdict of its own, including packets of
 * flows not yet classified: {@code default: allow} (or {@code report}) lets them pass, {@code default:
 * block} drops them (so with a blocking default only rules decided at a flow's first packet, on
 * addresses and ports, can let a flow through).
 */
public final class PolicyVerdicts implements PacketVerdicts {
    private final Policy policy;
    private final VerdictTable table;
    private final InlineVerdict[] byRule;
    private final InlineVerdict fallback;
    /**
     * The translation of the policy before a reload, for a verdict the table still holds from it
     * (written by a worker in the moment of the reload, before it noticed); null at start. Only
     * one back: older ones are replaced by the workers within a packet.
     */
    private final PolicyVerdicts previous;

    public PolicyVerdicts(Policy policy, VerdictTable table) {
        this(policy, table, null);
    }

    private PolicyVerdicts(Policy policy, VerdictTable table, PolicyVerdicts previous) {
        this.policy = policy;
        this.table = table;
        this.previous = previous;
        this.byRule = new InlineVerdict[policy.rules().size()];
        for (Rule r : policy.rules()) {
            byRule[r.index()] = translate(r.verdict()).ordered(r.index());
        }
        Verdict d = policy.fallback();
        // the default allow is the common case: no counting, no bucket, nothing to do
        this.fallback = d.action() == org.fathom.policy.Action.ALLOW ? null : translate(d).ordered(Integer.MAX_VALUE);
    }

    /**
     * The translation of {@code next}, the policy a reload put in force over the same table (hand
     * it to {@link QueueSource#verdicts(PacketVerdicts)}: one volatile write).
     */
    public PolicyVerdicts reloaded(Policy next) {
        return new PolicyVerdicts(next, table, new PolicyVerdicts(policy, table, null));
    }

    public Policy policy() {
        return policy;
    }

    static InlineVerdict translate(Verdict v) {
        String rule = v.ruleLabel();
        String action = v.action().label();
        return switch (v.action()) {
            case ALLOW, REPORT -> InlineVerdict.accept(rule, action);
            case BLOCK -> InlineVerdict.drop(rule, action);
            case MARK, PRIORITISE -> InlineVerdict.mark(rule, action, v.dscp());
            case RATE_LIMIT -> InlineVerdict.rateLimit(rule, action, Math.min(v.rateBitsPerSecond(), TokenBuckets.MAX_RATE));
        };
    }

    @Override
    public InlineVerdict decide(DecodedPacket d) {
        return translated(table.lookup(d));
    }

    /** {@code v}'s inline verdict: by its rule's index, when {@code v} is this policy's (or the one before). */
    private InlineVerdict translated(Verdict v) {
        if (v.isDefault()) {
            return fallback;
        }
        int i = v.index();
        if (i < byRule.length && policy.rules().get(i).verdict() == v) {
            return byRule[i];
        }
        return previous != null ? previous.translated(v) : fallback;
    }
}
