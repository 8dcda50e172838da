package org.fathom.protocol;

/**
 * Measures a flow after its classification: a dissector that recognised the flow hands one over
 * with {@link FlowContext#follow}, and the engine gives it every later payload packet of the flow
 * (UDP datagrams) until the flow ends, at the cost of one call per packet. Its state is the
 * dissector's fixed-size per-flow state: no allocation per packet, nothing that grows.
 */
public interface FlowMeter {
    /** One later payload packet of the flow, from its client or its server. Must not allocate. */
    void packet(boolean fromClient, byte[] buf, int off, int len, long nanos);

    /** Writes the measurements so far as metadata ({@link FlowContext#put}); called when a record of the flow is made. */
    void publish(FlowContext ctx);
}
