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
     * The bytes a direction's payload can start with for this protocol (a 256-bit set, see
     * {@link #bytes}), or null when any byte can. It must agree with {@link #inspect}: a direction
     * whose first chunk starts with a byte outside the set gets {@link #NO}. The classifier uses it
     * to drop the dissector for such a flow without calling it (one mask per first byte, built by
     * the registry), so that protocols with a signature cost nothing on the flows they cannot be.
     */
    default long[] firstBytes(boolean fromClient) {
        return null;
    }

    /** A first-byte set for {@link #firstBytes}: the given byte values. */
    static long[] bytes(int... values) {
        long[] set = new long[4];
        for (int v : values) {
            set[(v & 0xFF) >>> 6] |= 1L << (v & 63);
        }
        return set;
    }

    /**
     * Looks at payload of the flow.
     *
     * @param fromClient whether the bytes were sent by the flow's client
     * @return {@link #NO}, {@link #NEED_MORE}, {@link #MATCH} or {@link #DONE}
     */
    int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len);
}
