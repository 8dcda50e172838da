package org.fathom.field;

/** What pseudonymous mode does to a metadata field (see {@code privacy.FieldInventory}, docs/PRIVACY.md). */
public enum Treatment {
    /** Not personal (protocol facts, server names, fingerprints of software). */
    KEEP,
    /** Kept, but any subscriber address inside the text is replaced by its pseudonym. */
    SCRUB,
    /** Replaced by a keyed token (identifiers such as call ids). */
    TOKEN,
    /** A URI or e-mail address: display name removed, user part replaced by a keyed token, host scrubbed. */
    USER_URI,
    /** Never written (credentials, user names, device names, URL paths). */
    DROP
}
