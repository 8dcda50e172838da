package org.fathom.policy;

/**
 * One rule of a policy: a name, what it matches, and the verdict it gives.
 *
 * @param name     unique in the policy; written into records and the audit log (not personal)
 * @param line     where the rule starts in the policy file (for messages)
 * @param match    what it matches
 * @param verdict  what it decides (its index is the rule's position)
 * @param forNanos alert rules: how long the verdict sticks to the flagged address; 0 otherwise
 */
public record Rule(String name, int line, Match match, Verdict verdict, long forNanos) {
    public int index() {
        return verdict.index();
    }

    public Action action() {
        return verdict.action();
    }

    public Match.Kind kind() {
        return match.kind();
    }
}
