package org.fathom.privacy;

import java.io.IOException;
import java.util.List;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.Released;

/**
 * The fan-out from the guard to its sinks: every released record to every sink, in release order,
 * one record at a time (records from several workers are serialised here). A sink that must not
 * hold up the workers sits behind its own bounded queue and thread ({@code output.AsyncSink}); to
 * the exit it is just a sink.
 */
final class Exit {
    private final FlowSink[] sinks;
    private boolean closed;
    private final boolean takesEvents;
    private final boolean takesFlows;

    Exit(List<? extends FlowSink> sinks) {
        this.sinks = sinks.toArray(FlowSink[]::new);
        boolean events = false;
        boolean flows = false;
        for (FlowSink s : this.sinks) {
            events |= s.takesEvents();
            flows |= s.takesFlows();
        }
        this.takesEvents = events;
        this.takesFlows = flows;
    }

    /** Whether some sink does anything with flow records. */
    boolean takesFlows() {
        return takesFlows;
    }

    boolean takesEvents() {
        return takesEvents;
    }

    boolean isEmpty() {
        return sinks.length == 0;
    }

    /**
     * Hands one record to every sink, in the order of the list.
     *
     * @throws IOException           from the first sink that fails; later sinks do not get the record
     * @throws IllegalStateException after {@link #close}
     */
    synchronized void deliver(Released<? extends ExportRecord> record) throws IOException {
        if (closed) {
            throw new IllegalStateException("privacy guard closed");
        }
        for (FlowSink s : sinks) {   // an array: no iterator per record
            s.accept(record);
        }
    }

    /** Closes every sink, even when one fails; throws the first failure (later ones suppressed). */
    synchronized void close() throws IOException {
        closed = true;
        Exception first = null;
        for (FlowSink s : sinks) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        switch (first) {
            case null -> { }
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            default -> throw new IllegalStateException(first);
        }
    }
}
