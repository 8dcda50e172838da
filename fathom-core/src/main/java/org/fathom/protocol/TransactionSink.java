package org.fathom.protocol;

import java.util.Map;

/**
 * Where the classifier hands per-transaction events ({@code --events}): set on a worker's
 * {@link Classifier} only when some output takes events. With none set, dissectors are told
 * ({@link FlowContext#transactions()} is false) and build nothing.
 */
@FunctionalInterface
public interface TransactionSink {
    /**
     * One transaction of flow {@code flow} (the flow table's id, valid during the call).
     *
     * @param nanos  capture time of the packet that completed it
     * @param event  the kind ({@code http}, {@code dns}, {@code tls}, ...)
     * @param fields protocol fields under inventory keys, bounded like flow metadata
     */
    void transaction(int flow, long nanos, String event, Map<String, Object> fields);
}
