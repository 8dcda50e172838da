package org.fathom.privacy;

import java.util.Locale;

/** What the privacy guard lets out. There is deliberately no mode that turns it off. */
public enum PrivacyMode {
    /** Only aggregate statistics; groups with fewer than k distinct subscribers are suppressed. */
    AGGREGATE,
    /** Per-flow records with every subscriber identifier replaced by a keyed pseudonym (default). */
    PSEUDONYMOUS,
    /** Raw identifiers, only within the scope of an authorisation file; every run is audited. */
    IDENTIFIED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException listing the valid modes */
    public static PrivacyMode parse(String s) {
        for (PrivacyMode m : values()) {
            if (m.label().equalsIgnoreCase(s.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown privacy mode '" + s + "' (valid: aggregate, pseudonymous, identified)");
    }
}
