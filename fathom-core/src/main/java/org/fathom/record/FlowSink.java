package org.fathom.record;

import java.io.IOException;
import org.fathom.privacy.AggregateRecord;
import org.fathom.privacy.PrivacyHeader;
import org.fathom.privacy.Released;

/**
 * A destination for released records (a JSON lines file, later Kafka, IPFIX, ...). It accepts
 * only {@link Released} records, which only the privacy guard can make.
 */
public interface FlowSink extends AutoCloseable {
    /** What the guard did to the records that follow; written first. */
    void header(Released<PrivacyHeader> header) throws IOException;

    void accept(Released<FlowRecord> record) throws IOException;

    /** Aggregate-mode statistics, released when the guard closes. */
    void aggregate(Released<AggregateRecord> row) throws IOException;

    /** A call record (VoIP analytics). Sinks that do not take calls ignore it. */
    default void call(Released<CallRecord> call) throws IOException {
    }

    /** An attack or abuse alert. Sinks that do not take alerts ignore it. */
    default void alert(Released<AlertRecord> alert) throws IOException {
    }

    @Override
    void close() throws IOException;
}
