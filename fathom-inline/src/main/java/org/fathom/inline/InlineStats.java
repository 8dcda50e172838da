package org.fathom.inline;

import java.util.List;

/**
 * What the queue did, for the summary: packets per verdict, and per rule.
 *
 * @param packets       packets read from the queues (each got exactly one verdict)
 * @param accepted      passed unchanged
 * @param dropped       dropped by a block rule
 * @param rateDropped   dropped because their flow's token bucket was empty
 * @param marked        passed with a rewritten DSCP
 * @param verdictErrors verdicts the kernel refused or that could not be sent
 * @param rules         per rule, in the order first seen
 * @param buckets       token buckets in use at the end, and evicted
 */
public record InlineStats(long packets, long accepted, long dropped, long rateDropped, long marked,
                          long verdictErrors, List<RuleStats> rules, int buckets, long bucketEvictions) {

    /** One rule's counts: packets it decided, bytes, and of those dropped and marked. */
    public record RuleStats(String rule, String action, long packets, long bytes, long dropped, long marked) {}

    /** The mutable counters of one rule, kept by the reading thread. */
    static final class RuleCounters {
        final String rule;
        final String action;
        long packets;
        long bytes;
        long dropped;
        long marked;

        RuleCounters(String rule, String action) {
            this.rule = rule;
            this.action = action;
        }

        RuleStats snapshot() {
            return new RuleStats(rule, action, packets, bytes, dropped, marked);
        }
    }
}
