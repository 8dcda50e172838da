package org.fathom.protocol;

/**
 * What a {@link Dissector} may see of and do to the flow it inspects. Everything a dissector
 * records here is bounded: metadata keys are few and values are short strings (the engine cuts
 * strings to {@link #MAX_VALUE_LENGTH} characters and lists to {@link #MAX_LIST} entries).
 */
public interface FlowContext {
    int MAX_VALUE_LENGTH = 256;
    int MAX_LIST = 16;

    /** IP protocol number of the flow ({@code 6} TCP, {@code 17} UDP). */
    int l4();

    int clientPort();

    int serverPort();

    boolean ipv6();

    /** Capture time of the packet being inspected, in epoch nanoseconds. */
    long timestampNanos();

    /** Payload packets seen so far from the client / the server (including the current one). */
    int payloadPackets(boolean fromClient);

    /** This dissector's per-flow state, or null. */
    Object state();

    void setState(Object state);

    /** Adds protocol metadata, e.g. {@code put("tls.sni", "example.com")}. Later puts replace. */
    void put(String key, Object value);

    /** The metadata value under {@code key}, or null. */
    Object get(String key);

    /** Marks a risk on the flow. */
    void addRisk(Risk risk);

    /**
     * A server name learnt from the payload (TLS SNI, HTTP Host, DNS query name, ...) from which the
     * service catalog names the application. The first one set wins unless {@code override}.
     */
    void setHost(String host, boolean override);

    /** Names the protocol differently from the dissector's own descriptor (e.g. DNS on 5353 is MDNS). */
    void setProtocol(String name, String category);

    /** Names the application directly (e.g. from a protocol-specific signature). */
    void setApplication(String name, String category);

    /** Tells the engine the sender of the first packet was in fact the server. */
    void swapClient();

    /**
     * A DNS answer seen while inspecting this flow. Accepted and ignored: names are learnt only by
     * {@link PassiveObserver}s, which every worker runs over every packet, so that what is learnt
     * does not depend on which worker owns the DNS flow. Kept for dissectors that report answers.
     *
     * @deprecated implement {@link PassiveObserver} instead
     */
    @Deprecated
    void learnAddress(long hi, long lo, String name);

    /**
     * Announces a flow to come (FTP data, SIP media, ...): a later flow to that server address and
     * port with that L4 protocol is classified as {@code protocol} without inspection.
     */
    void expect(int l4, long serverHi, long serverLo, int serverPort, String protocol, String category);

    /**
     * Keeps measuring this flow after inspection ends: {@code meter} sees every later UDP payload
     * packet and publishes its figures when a record is made (e.g. RTP loss and jitter). One meter
     * per flow; a later call replaces it.
     */
    default void follow(FlowMeter meter) {
    }

    /**
     * Whether per-transaction events are wanted ({@code --events}). False in most runs: then a
     * dissector builds no event and may stop as early as it likes. When true, the engine keeps
     * feeding a recognised flow's dissector past its usual metadata limit, so it can report every
     * transaction of the flow.
     */
    default boolean transactions() {
        return false;
    }

    /**
     * Reports one transaction of this flow (only when {@link #transactions()}): {@code event} is
     * its kind ({@code http}, {@code dns}, ...), {@code fields} its protocol fields under keys of
     * the privacy field inventory, in output order. Values are bounded as metadata values are.
     */
    default void transaction(String event, java.util.Map<String, Object> fields) {
    }

    /** Client address of this flow, high and low 64 bits (IPv4 mapped). */
    long clientHi();

    long clientLo();

    long serverHi();

    long serverLo();
}
