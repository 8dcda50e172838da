package org.fathom.capture;

/** A capture that cannot be read at all (missing, unreadable, not a capture file). */
public final class CaptureException extends Exception {
    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
