package org.fathom.policy;

import java.time.ZoneId;
import java.util.List;

/**
 * A loaded, validated policy: rules in file order (first match wins) and the default verdict.
 * Immutable; read it from a file with {@link PolicyFile#load}.
 *
 * @param name     the policy's {@code name:} ({@code default} when not given)
 * @param file     the file it was read from, as given (for messages and the audit log)
 * @param sha256   hex SHA-256 of the file's bytes: which policy was in force (audit log)
 * @param rules    in file order; {@code rules.get(i).index() == i}
 * @param fallback the verdict when no rule matches ({@code default:})
 * @param zone     the time zone of {@code time:} ranges ({@code timezone:}, UTC when not given)
 */
public record Policy(String name, String file, String sha256, List<Rule> rules, Verdict fallback, ZoneId zone) {
    /** No time boundary ahead: no flow rule has a {@code time:} range. */
    public static final long NO_BOUNDARY = Long.MAX_VALUE;

    public Policy {
        rules = List.copyOf(rules);
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).index() != i) {
                throw new IllegalArgumentException("rule " + rules.get(i).name() + " has index " + rules.get(i).index() + ", not " + i);
            }
        }
    }

    /** The rule at {@code index}, or null for the default's index. */
    public Rule rule(int index) {
        return index >= 0 && index < rules.size() ? rules.get(index) : null;
    }

    /**
     * The first moment after {@code nanos} (epoch nanoseconds) at which a flow rule's {@code time:}
     * range opens or closes, in the policy's zone: when live flows must be decided again, as their
     * verdict may change without any new fact. {@link #NO_BOUNDARY} when no flow rule has a range.
     * Allocates (call it once per boundary, not per packet).
     */
    public long nextBoundary(long nanos) {
        java.util.TreeSet<Integer> minutes = new java.util.TreeSet<>();
        for (Rule r : rules) {
            int[] t = r.match().times;
            if (r.kind() == Match.Kind.FLOW && t != null) {
                for (int m : t) {
                    minutes.add(m % (24 * 60));
                }
            }
        }
        if (minutes.isEmpty()) {
            return NO_BOUNDARY;
        }
        java.time.ZonedDateTime now = java.time.Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)).atZone(zone);
        java.time.LocalDate day = now.toLocalDate();
        for (int d = 0; d < 3; d++, day = day.plusDays(1)) {   // a DST gap may skip one; a day later finds the next
            for (int m : minutes) {
                java.time.ZonedDateTime at = day.atTime(m / 60, m % 60).atZone(zone);
                if (at.isAfter(now)) {
                    java.time.Instant i = at.toInstant();
                    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
                }
            }
        }
        return NO_BOUNDARY;
    }

    /** Whether any rule reacts to alerts (the attack detector's events are needed). */
    public boolean hasAlertRules() {
        return rules.stream().anyMatch(r -> r.kind() == Match.Kind.ALERT);
    }

    /** Whether any rule reacts to calls (the call analyzer's events are needed). */
    public boolean hasCallRules() {
        return rules.stream().anyMatch(r -> r.kind() == Match.Kind.CALL);
    }

    /**
     * The first flow rule that matches {@code f}, or the default. Alert and call rules are not
     * looked at here: their verdicts come with their events (see {@link Match}).
     *
     * @param classified whether {@code f} carries the flow's classification; when false, the
     *                   answer is null as soon as a rule that needs it comes first (undecided yet)
     */
    public Verdict decideFlow(Facts f, boolean classified) {
        for (Rule r : rules) {
            if (r.kind() != Match.Kind.FLOW) {
                continue;
            }
            if (!classified && r.match().needsClassification()) {
                // this rule may still match once the flow is classified: wait, unless the flow's
                // addresses, ports and time already rule it out
                if (r.match().l3l4(f) && r.match().time(f.nanos)) {
                    return null;
                }
                continue;
            }
            if (r.match().matches(f)) {
                return r.verdict();
            }
        }
        return fallback;
    }

    /** The first flow or call rule that matches a call's facts ({@code f.call}), or the default. */
    public Verdict decideCall(Facts f) {
        for (Rule r : rules) {
            if (r.kind() != Match.Kind.ALERT && r.match().matches(f)) {
                return r.verdict();
            }
        }
        return fallback;
    }
}
