package org.fathom.capture.libpcap;

/**
 * Live capture cannot start: libpcap missing, no such interface, not permitted, a bad filter. The
 * message is one line meant for the user as it is.
 */
public final class LiveCaptureException extends Exception {
    /** What went wrong, so that callers and tests can tell the cases apart. */
    public enum Kind { LIBRARY_MISSING, NO_SUCH_INTERFACE, NOT_PERMITTED, BAD_FILTER, BAD_SETTING, OTHER }

    private final Kind kind;

    public LiveCaptureException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
