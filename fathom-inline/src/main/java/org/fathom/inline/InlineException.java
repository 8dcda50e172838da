package org.fathom.inline;

/** A queue that cannot be opened or configured; the message is one line for the user. */
public final class InlineException extends Exception {
    /** What went wrong, so a command can map it to its exit status. */
    public enum Kind { LIBRARY_MISSING, NOT_PERMITTED, BUSY, BAD_SETTING, OTHER }

    private final Kind kind;

    public InlineException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
