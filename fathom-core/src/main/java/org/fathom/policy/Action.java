package org.fathom.policy;

import java.util.Locale;

/**
 * What a policy rule does to the traffic it matches (the actions of ITU-T Y.2770's policy
 * enforcement): pass it, drop it, pass it and report it, pass it with a DSCP mark, pass it marked
 * for expedited forwarding, or pass it through a per-flow token bucket.
 */
public enum Action {
    /** Pass unchanged. */
    ALLOW,
    /** Drop. */
    BLOCK,
    /** Pass unchanged, and count and log it (the verdict log says which rule). */
    REPORT,
    /** Pass with the DSCP of {@link Verdict#dscp()} written into the IP header. */
    MARK,
    /** Pass with a priority DSCP (EF, 46, unless the rule says otherwise). */
    PRIORITISE,
    /** Pass within a per-flow rate ({@link Verdict#rateBitsPerSecond()}); beyond it, drop. */
    RATE_LIMIT;

    /** The name in policy files and records: lower case ({@code rate_limit}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action named {@code s} in a policy file (case-insensitive; {@code prioritize} too), or null. */
    public static Action parse(String s) {
        String k = s.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        if (k.equals("prioritize")) {
            return PRIORITISE;
        }
        for (Action a : values()) {
            if (a.label().equals(k)) {
                return a;
            }
        }
        return null;
    }
}
