package org.fathom.record;

import java.io.IOException;

/**
 * A destination for released records (a JSON lines file, later Kafka, IPFIX, ...). It accepts
 * only {@link Released} records, which only the privacy guard can make, through one method for
 * every kind: a sink switches over the {@link ExportRecord} and ignores the kinds it does not
 * take. The first record of every run is its {@link PrivacyHeader}; aggregate-mode rows come
 * when the guard closes.
 *
 * <p>Calls come from one thread at a time, in the order the guard released the records (the
 * guard serialises them; {@code output.AsyncSink} hands them to a thread of their own in that
 * order).
 */
public interface FlowSink extends AutoCloseable {
    void accept(Released<? extends ExportRecord> record) throws IOException;

    /**
     * Whether this sink writes per-transaction events ({@link EventRecord}). Events are made only
     * when some sink of the guard takes them: with none, no event is built at all.
     */
    default boolean takesEvents() {
        return false;
    }

    /**
     * Whether this sink does anything with flow records ({@link FlowRecord}). When no sink of the
     * guard does (a summary-only run), the guard makes no released copy of a flow at all.
     */
    default boolean takesFlows() {
        return true;
    }

    @Override
    void close() throws IOException;
}
