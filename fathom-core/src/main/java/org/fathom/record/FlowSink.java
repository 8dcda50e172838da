package org.fathom.record;

import java.io.IOException;

/** A destination for flow records (a JSON lines file, later Kafka, IPFIX, ...). */
public interface FlowSink extends AutoCloseable {
    void accept(FlowRecord record) throws IOException;

    @Override
    void close() throws IOException;
}
