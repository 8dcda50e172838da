package org.fathom.protocol;

/**
 * Per-flow dissector state that may hold transactions not yet emitted when the flow ends (an
 * HTTP request without its response, a DNS query never answered, a TLS handshake cut short):
 * the classifier calls {@link #flush} once as the flow ends, only while events are wanted.
 */
public interface PendingTransactions {
    /** Emits what is still pending with {@link FlowContext#transaction}. */
    void flush(FlowContext ctx);
}
