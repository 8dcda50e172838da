package org.fathom.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The single exit of the engine: every record on its way to any sink passes through
 * {@link #emit}. The privacy guard (pseudonymisation, minimisation, aggregation, audit) is applied
 * here and nowhere else, so that no sink can be fed around it.
 */
public final class RecordExit implements AutoCloseable {
    private final List<FlowSink> sinks = new ArrayList<>();
    private long emitted;

    public RecordExit(List<? extends FlowSink> sinks) {
        for (FlowSink s : sinks) {
            this.sinks.add(Objects.requireNonNull(s));
        }
    }

    /** Thread-safe: workers of one capture emit concurrently. */
    public synchronized void emit(FlowRecord record) {
        emitted++;
        for (FlowSink s : sinks) {
            try {
                s.accept(record);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public long emitted() {
        return emitted;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FlowSink s : sinks) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
