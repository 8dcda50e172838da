package org.fathom.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.fathom.reassembly.TcpReorderer;

/**
 * Per-flow classification state, created at the flow's first payload and dropped with the flow.
 * Holds the candidate set, the reassembly of both TCP directions, each dissector's state and the
 * metadata gathered so far. Everything in it is capped.
 */
final class FlowInspection implements FlowContext {
    static final int MAX_METADATA_KEYS = 48;
    /** Events one flow may report at most (a keep-alive connection of a million requests is cut here). */
    static final int MAX_TRANSACTIONS = 100_000;
    int transactionCount;

    final Classifier owner;
    final int l4;
    int clientPort;
    int serverPort;
    final boolean ipv6;
    long cHi, cLo, sHi, sLo;
    int flow;

    // candidates
    long[] excluded;
    int matched = -1;
    boolean done;
    /** The engine was told this flow's classification ({@link Classifier#onPacket} returned true). */
    boolean announced;
    boolean fromExpectation;
    int metadataCalls;

    /** Payload packets from the client and from the server (fields, not an array: one object less per flow). */
    int clientPayloadPackets;
    int serverPayloadPackets;
    /** Dissector states as a small map (dissector index -> state): few dissectors keep state per flow. */
    int[] stateKeys;
    Object[] stateValues;
    int stateCount;
    int current = -1;
    long timestamp;

    String protocol;
    String protocolCategory;
    String application;
    String applicationCategory;
    String host;
    /** Name DNS resolved to the server's address, as known when the flow started. */
    String learnedName;
    boolean swapRequested;
    long risks;
    /**
     * The metadata gathered so far, in insertion order: two small arrays rather than a map. A flow
     * keeps a handful of fields for its whole life; a LinkedHashMap's table and entry objects
     * tripled the memory each flow holds and the collector copies, and scattered it. Keys are
     * nearly always the dissectors' constant strings, so they are compared by identity first.
     * {@link #metadata()} makes the map a verdict carries.
     */
    String[] metaKeys;
    Object[] metaValues;
    int metaCount;
    /** Measures the flow's later packets (a {@link FlowContext#follow}), or null. */
    FlowMeter meter;

    TcpReorderer toServer;
    TcpReorderer toClient;

    FlowInspection(Classifier owner, int l4, boolean ipv6, int dissectors) {
        this.owner = owner;
        this.l4 = l4;
        this.ipv6 = ipv6;
        this.excluded = new long[(dissectors + 63) >>> 6];
    }

    boolean isExcluded(int i) {
        return (excluded[i >>> 6] & (1L << i)) != 0;
    }

    void exclude(int i) {
        excluded[i >>> 6] |= 1L << i;
    }

    /** Frees what is only needed while inspecting. */
    void finishInspection() {
        done = true;
        stateKeys = null;
        stateValues = null;
        stateCount = 0;
        toServer = null;
        toClient = null;
        excluded = null;
    }

    /** Whether the client's SYN was seen: the stream is inspected from its first byte. */
    boolean sawSyn;

    /** Dissectors registered for the flow's port that said no to the start of its stream (few). */
    private int[] refused;

    void refuse(int dissector) {
        if (refused == null) {
            refused = new int[] {dissector};
        } else if (refused.length < 8) {
            refused = java.util.Arrays.copyOf(refused, refused.length + 1);
            refused[refused.length - 1] = dissector;
        }
    }

    /**
     * Whether dissector {@code i} said no to this flow's payload from the stream's first byte (TCP
     * with its SYN seen): then the port guess must not name its protocol.
     */
    boolean rejected(int i) {
        if (refused != null) {
            for (int r : refused) {
                if (r == i) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public int l4() {
        return l4;
    }

    @Override
    public int clientPort() {
        return clientPort;
    }

    @Override
    public int serverPort() {
        return serverPort;
    }

    @Override
    public boolean ipv6() {
        return ipv6;
    }

    @Override
    public long timestampNanos() {
        return timestamp;
    }

    @Override
    public int payloadPackets(boolean fromClient) {
        return fromClient ? clientPayloadPackets : serverPayloadPackets;
    }

    @Override
    public Object state() {
        return current < 0 ? null : stateOf(current);
    }

    @Override
    public void setState(Object state) {
        if (current < 0) {
            return;
        }
        for (int i = 0; i < stateCount; i++) {
            if (stateKeys[i] == current) {
                stateValues[i] = state;
                return;
            }
        }
        if (state == null) {
            return;
        }
        if (stateKeys == null) {
            stateKeys = new int[4];
            stateValues = new Object[4];
        } else if (stateCount == stateKeys.length) {
            stateKeys = java.util.Arrays.copyOf(stateKeys, stateCount * 2);
            stateValues = java.util.Arrays.copyOf(stateValues, stateCount * 2);
        }
        stateKeys[stateCount] = current;
        stateValues[stateCount] = state;
        stateCount++;
    }

    Object stateOf(int dissector) {
        for (int i = 0; i < stateCount; i++) {
            if (stateKeys[i] == dissector) {
                return stateValues[i];
            }
        }
        return null;
    }

    /** Keeps only the state of {@code dissector} (the one that matched). */
    void keepOnlyStateOf(int dissector) {
        Object keep = stateOf(dissector);
        stateKeys = null;
        stateValues = null;
        stateCount = 0;
        if (keep != null) {
            stateKeys = new int[] {dissector};
            stateValues = new Object[] {keep};
            stateCount = 1;
        }
    }

    @Override
    public void follow(FlowMeter m) {
        meter = m;
    }

    @Override
    public void put(String key, Object value) {
        if (value == null) {
            return;
        }
        int i = metaIndex(key);
        if (i < 0) {
            if (metaCount >= MAX_METADATA_KEYS) {
                return;
            }
            if (metaKeys == null) {
                metaKeys = new String[4];
                metaValues = new Object[4];
            } else if (metaCount == metaKeys.length) {
                int n = Math.min(MAX_METADATA_KEYS, 2 * metaCount);
                metaKeys = java.util.Arrays.copyOf(metaKeys, n);
                metaValues = java.util.Arrays.copyOf(metaValues, n);
            }
            i = metaCount++;
            metaKeys[i] = key;
        }
        metaValues[i] = bound(value);
    }

    /** The position of {@code key} in {@link #metaKeys}, or -1. */
    private int metaIndex(String key) {
        String[] k = metaKeys;
        int n = metaCount;
        for (int i = 0; i < n; i++) {
            if (k[i] == key) {
                return i;
            }
        }
        for (int i = 0; i < n; i++) {
            if (k[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The metadata as a new map in insertion order (room for the flow-level fields added at the
     * cold edge), or null when there is none: later packets do not change it.
     */
    LinkedHashMap<String, Object> metadata() {
        int n = metaCount;
        if (n == 0) {
            return null;
        }
        LinkedHashMap<String, Object> m = LinkedHashMap.newLinkedHashMap(n + 8);
        for (int i = 0; i < n; i++) {
            m.put(metaKeys[i], metaValues[i]);
        }
        return m;
    }

    private static Object bound(Object v) {
        if (v instanceof String s) {
            return cut(s);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(Math.min(l.size(), MAX_LIST));
            for (Object o : l) {
                if (out.size() == MAX_LIST) {
                    break;
                }
                out.add(o instanceof String s ? cut(s) : o);
            }
            return List.copyOf(out);
        }
        return v;
    }

    private static String cut(String s) {
        // control characters never reach an output; long values are cut
        StringBuilder sb = null;
        int n = Math.min(s.length(), MAX_VALUE_LENGTH);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                if (sb == null) {
                    sb = new StringBuilder(n);
                    sb.append(s, 0, i);
                }
                sb.append('?');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        if (sb != null) {
            return sb.toString();
        }
        return s.length() > MAX_VALUE_LENGTH ? s.substring(0, MAX_VALUE_LENGTH) : s;
    }

    @Override
    public boolean transactions() {
        return owner.transactionSink != null;
    }

    @Override
    public void transaction(String event, java.util.Map<String, Object> fields) {
        TransactionSink t = owner.transactionSink;
        if (t == null || fields == null) {
            return;
        }
        if (++transactionCount > MAX_TRANSACTIONS) {
            return;
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        for (java.util.Map.Entry<String, Object> e : fields.entrySet()) {
            if (e.getValue() != null) {
                out.put(e.getKey(), bound(e.getValue()));
            }
        }
        t.transaction(flow, timestamp, event, out);
    }

    @Override
    public Object get(String key) {
        int i = metaIndex(key);
        return i < 0 ? null : metaValues[i];
    }

    @Override
    public void addRisk(Risk risk) {
        risks |= 1L << risk.ordinal();
    }

    @Override
    public void setHost(String h, boolean override) {
        if (h == null || h.isEmpty()) {
            return;
        }
        if (host == null || override) {
            host = cut(h);
        }
    }

    @Override
    public void setProtocol(String name, String category) {
        protocol = name;
        protocolCategory = category;
    }

    @Override
    public void setApplication(String name, String category) {
        application = name;
        applicationCategory = category;
    }

    @Override
    public void swapClient() {
        swapRequested = true;
    }

    @Override
    public void learnAddress(long hi, long lo, String name) {
        // Learning happens only through the passive observers, which see every packet in every
        // worker; learning here, from the flows one worker owns, would make names depend on the
        // number of workers.
    }

    @Override
    public void expect(int proto, long hi, long lo, int port, String name, String category) {
        owner.expect(proto, hi, lo, port, name, category);
    }

    @Override
    public long clientHi() {
        return cHi;
    }

    @Override
    public long clientLo() {
        return cLo;
    }

    @Override
    public long serverHi() {
        return sHi;
    }

    @Override
    public long serverLo() {
        return sLo;
    }
}
