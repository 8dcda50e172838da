package org.fathom.output;

import java.io.IOException;

/**
 * A sink behind an {@link AsyncSink} failed on its own thread; thrown to whoever hands it the next
 * record, flushes or closes it. The message is the original error's (for an I/O error, the first
 * {@link IOException} among its causes); {@link #sink} names the output.
 */
public final class SinkException extends IOException {
    private final String sink;

    public SinkException(String sink, Throwable cause) {
        super(message(cause), cause);
        this.sink = sink;
    }

    /** The output as the user named it (a file name, "standard output"). */
    public String sink() {
        return sink;
    }

    private static String message(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
