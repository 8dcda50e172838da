package org.fathom.protocol;

/**
 * One application protocol's recogniser and metadata extractor. A dissector is stateless and
 * shared by all flows of a worker; what it must remember about a flow lives in the object it keeps
 * with {@link FlowContext#setState} (capped in size by the dissector itself).
 *
 * <p>{@link #inspect} is called with the payload of one UDP datagram, or with the next in-order
 * chunk of a TCP byte stream (the engine reassembles, so a chunk never repeats bytes and never
 * skips any unless it reports a gap). A message may be split across chunks at any byte: parsers
 * must buffer what they need (within a cap) and answer {@link #NEED_MORE}.
 */
public interface Dissector {
    /** Not this protocol: never call again for this flow. */
    int NO = 0;
    /** Could be this protocol; call again with the next payload. */
    int NEED_MORE = 1;
    /** This protocol; keep calling with later payload for metadata. */
    int MATCH = 2;
    /** This protocol, and nothing more to extract: stop inspecting the flow. */
    int DONE = 3;

    /** Name, category, transports, ports, probe depth. */
    Descriptor descriptor();

    /**
     * Other protocol or application names this dissector may give a flow besides its descriptor's
     * ({@link FlowContext#setProtocol}, {@link FlowContext#setApplication}, {@link FlowContext#expect}):
     * what {@code fathom protocols} lists as detected by payload. A test checks each is declared.
     */
    default java.util.List<Service> alsoReports() {
        return java.util.List.of();
    }

    /**
     * Looks at payload of the flow.
     *
     * @param fromClient whether the bytes were sent by the flow's client
     * @return {@link #NO}, {@link #NEED_MORE}, {@link #MATCH} or {@link #DONE}
     */
    int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len);
}
