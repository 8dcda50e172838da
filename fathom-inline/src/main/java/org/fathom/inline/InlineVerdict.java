package org.fathom.inline;

/**
 * What the queue does with the packets of one rule: accept them, drop them, accept them with a new
 * DSCP, or pass them through a per-flow token bucket. One instance per rule (made once, when the
 * policy is loaded), so deciding a packet allocates nothing.
 */
public final class InlineVerdict {
    /** Pass unchanged (also {@code report}: the rule only counts). */
    public static final int ACCEPT = 0;
    /** Drop. */
    public static final int DROP = 1;
    /** Pass with the DSCP set to {@link #dscp()} ({@code mark}, {@code prioritise}). */
    public static final int MARK = 2;
    /** Pass while the flow's token bucket at {@link #rateBitsPerSecond()} has room, else drop. */
    public static final int RATE_LIMIT = 3;

    private final String rule;
    private final String action;
    private final int kind;
    private final int dscp;
    private final long rateBitsPerSecond;
    /**
     * The rule's place in the policy (first match wins: smaller first); {@link Integer#MAX_VALUE}
     * for the policy's default. Decides between the verdict a packet had when it arrived and the one
     * it has once the engine has seen it.
     */
    int order = Integer.MAX_VALUE - 1;
    /** The source's counters for this rule, found once (single reading thread). */
    InlineStats.RuleCounters counters;

    /**
     * @param rule   the rule's name, for the summary
     * @param action the rule's action as the policy names it ({@code block}, {@code prioritise}, ...)
     */
    public InlineVerdict(String rule, String action, int kind, int dscp, long rateBitsPerSecond) {
        if (kind < ACCEPT || kind > RATE_LIMIT) {
            throw new IllegalArgumentException("unknown verdict kind " + kind);
        }
        if (kind == MARK && (dscp < 0 || dscp > 63)) {
            throw new IllegalArgumentException("DSCP must be 0..63, not " + dscp);
        }
        if (kind == RATE_LIMIT && (rateBitsPerSecond < 1 || rateBitsPerSecond > TokenBuckets.MAX_RATE)) {
            throw new IllegalArgumentException("rate must be between 1 bit/s and 100 Gbit/s, not " + rateBitsPerSecond + " bit/s");
        }
        this.rule = rule;
        this.action = action;
        this.kind = kind;
        this.dscp = dscp;
        this.rateBitsPerSecond = rateBitsPerSecond;
    }

    public static InlineVerdict accept(String rule, String action) {
        return new InlineVerdict(rule, action, ACCEPT, 0, 0);
    }

    public static InlineVerdict drop(String rule, String action) {
        return new InlineVerdict(rule, action, DROP, 0, 0);
    }

    public static InlineVerdict mark(String rule, String action, int dscp) {
        return new InlineVerdict(rule, action, MARK, dscp, 0);
    }

    public static InlineVerdict rateLimit(String rule, String action, long bitsPerSecond) {
        return new InlineVerdict(rule, action, RATE_LIMIT, 0, bitsPerSecond);
    }

    /** This verdict with its rule's place in the policy (see {@link #order()}); returns this. */
    public InlineVerdict ordered(int place) {
        this.order = place;
        return this;
    }

    /** The rule's place in the policy: of two verdicts for a packet, the smaller wins. */
    public int order() {
        return order;
    }

    public String rule() {
        return rule;
    }

    public String action() {
        return action;
    }

    public int kind() {
        return kind;
    }

    public int dscp() {
        return dscp;
    }

    public long rateBitsPerSecond() {
        return rateBitsPerSecond;
    }

    @Override
    public String toString() {
        return rule + ": " + action;
    }
}
