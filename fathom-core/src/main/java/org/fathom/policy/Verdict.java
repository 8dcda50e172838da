package org.fathom.policy;

/**
 * What the policy says about a flow, an address or a call: the rule that decided (first match
 * wins), its action, and the action's parameter. Immutable; one instance per rule is made when the
 * policy is loaded and shared by every flow the rule matches, so handing a verdict around never
 * allocates.
 *
 * @param rule              the rule's name, null for the policy's default
 * @param index             the rule's position in the file (0 first); {@link #DEFAULT_INDEX} for
 *                          the default, so that "first match wins" is "smallest index wins"
 * @param action            what to do
 * @param dscp              the DSCP to write (0..63) for {@link Action#MARK} and
 *                          {@link Action#PRIORITISE}; -1 for every other action
 * @param rateBitsPerSecond the per-flow rate of {@link Action#RATE_LIMIT}; 0 for every other action
 */
public record Verdict(String rule, int index, Action action, int dscp, long rateBitsPerSecond) {
    /** The index of the default verdict: after every rule. */
    public static final int DEFAULT_INDEX = Integer.MAX_VALUE;

    /** DSCP Expedited Forwarding (RFC 3246): what {@code prioritise} writes unless told otherwise. */
    public static final int EF = 46;

    /** The usual default: no rule matched, the traffic passes. */
    public static final Verdict DEFAULT_ALLOW = new Verdict(null, DEFAULT_INDEX, Action.ALLOW, -1, 0);

    public Verdict {
        if (action == null) {
            throw new IllegalArgumentException("a verdict needs an action");
        }
        boolean marks = action == Action.MARK || action == Action.PRIORITISE;
        if (marks ? dscp < 0 || dscp > 63 : dscp != -1) {
            throw new IllegalArgumentException(marks ? "DSCP must be 0..63, not " + dscp : "only mark and prioritise carry a DSCP");
        }
        if (action == Action.RATE_LIMIT ? rateBitsPerSecond <= 0 : rateBitsPerSecond != 0) {
            throw new IllegalArgumentException(action == Action.RATE_LIMIT ? "a rate limit must be positive"
                    : "only rate_limit carries a rate");
        }
        if (index < 0) {
            throw new IllegalArgumentException("rule index must not be negative");
        }
    }

    /** The default verdict of a policy whose {@code default:} is {@code action} (allow, block or report). */
    public static Verdict defaultOf(Action action) {
        return action == Action.ALLOW ? DEFAULT_ALLOW : new Verdict(null, DEFAULT_INDEX, action, -1, 0);
    }

    /** Whether this is the policy's default (no rule matched). */
    public boolean isDefault() {
        return rule == null;
    }

    /** Whether packets under this verdict are dropped outright. */
    public boolean drops() {
        return action == Action.BLOCK;
    }

    /** Whether this verdict wins over {@code other} (first match wins: the smaller index). */
    public boolean precedes(Verdict other) {
        return other == null || index < other.index;
    }

    /** The rule's name as records write it: {@code default} for the default. */
    public String ruleLabel() {
        return rule == null ? "default" : rule;
    }
}
