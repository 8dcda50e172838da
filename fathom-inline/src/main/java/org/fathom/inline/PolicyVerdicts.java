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
    private final VerdictTable table;
    private final InlineVerdict[] byRule;
    private final InlineVerdict fallback;

    public PolicyVerdicts(Policy policy, VerdictTable table) {
        this.table = table;
        this.byRule = new InlineVerdict[policy.rules().size()];
        for (Rule r : policy.rules()) {
            byRule[r.index()] = translate(r.verdict()).ordered(r.index());
        }
        Verdict d = policy.fallback();
        // the default allow is the common case: no counting, no bucket, nothing to do
        this.fallback = d.action() == org.fathom.policy.Action.ALLOW ? null : translate(d).ordered(Integer.MAX_VALUE);
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
        Verdict v = table.lookup(d);
        if (v.isDefault()) {
            return fallback;
        }
        int i = v.index();
        return i >= 0 && i < byRule.length ? byRule[i] : fallback;
    }
}
