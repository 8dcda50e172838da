package org.fathom.protocol.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;

/**
 * The {@link FlowContext} of dissector unit tests: one flow (TCP or UDP, client 10.0.0.1:40000
 * unless set, server 10.0.0.2), everything a dissector tells it recorded in public fields, and a
 * driver ({@link #feed}) that calls a dissector the way the engine does: the payload packet is
 * counted first, a NO after a match keeps the match (the verdict becomes DONE), and nothing is fed
 * after NO or DONE. Tests that call {@link Dissector#inspect} themselves count the packet with
 * {@link #packet}.
 */
public final class TestFlow implements FlowContext {
    /** 10.0.0.1 and 10.0.0.2, IPv4-mapped: the default client and server addresses. */
    public static final long CLIENT_V4 = 0x0000FFFF_0A000001L;
    public static final long SERVER_V4 = 0x0000FFFF_0A000002L;

    // the flow
    public int l4;
    public int clientPort = 40000;
    public int serverPort;
    public boolean ipv6;
    public long cHi;
    public long cLo = CLIENT_V4;
    public long sHi;
    public long sLo = SERVER_V4;
    /** Capture time of every packet: 2027-01-15, inside the validity of the test certificates. */
    public long timestampNanos = 1_800_000_000L * 1_000_000_000L;
    private final int[] packets = new int[2];
    private Object state;

    // what the dissector said
    public final Map<String, Object> meta = new LinkedHashMap<>();
    public final Set<Risk> risks = EnumSet.noneOf(Risk.class);
    public String host;
    public String protocol;
    public String protocolCategory;
    public String application;
    /** Times the dissector said the first sender was the server. */
    public int swaps;
    /** Announced flows, {@code l4/serverHi:serverLo:port=protocol} (hexadecimal addresses). */
    public final List<String> expectations = new ArrayList<>();
    /** Reported DNS answers, {@code hi/lo=name} (hexadecimal addresses). */
    public final List<String> learned = new ArrayList<>();

    // driving one dissector
    /** The dissector fed by {@link #feed(boolean, byte[])}, or null. */
    public final Dissector dissector;
    /** The verdict so far, as the engine keeps it: NEED_MORE before any other answer. */
    public int verdict = Dissector.NEED_MORE;
    /** Whether the dissector answered MATCH or DONE at some point. */
    public boolean matched;
    /** Whether the engine would feed this dissector no more (after NO or DONE). */
    public boolean stopped;
    /** The meter handed over with {@link #follow}, or null; the engine feeds it every later packet. */
    public org.fathom.protocol.FlowMeter meter;

    public TestFlow(int l4, int clientPort, int serverPort) {
        this(null, l4, clientPort, serverPort);
    }

    public TestFlow(Dissector d, boolean tcp, int serverPort) {
        this(d, tcp ? 6 : 17, 40000, serverPort);
    }

    private TestFlow(Dissector d, int l4, int clientPort, int serverPort) {
        this.dissector = d;
        this.l4 = l4;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
    }

    public static TestFlow tcp(int serverPort) {
        return new TestFlow(6, 40000, serverPort);
    }

    public static TestFlow udp(int serverPort) {
        return new TestFlow(17, 40000, serverPort);
    }

    public static TestFlow tcp(int clientPort, int serverPort) {
        return new TestFlow(6, clientPort, serverPort);
    }

    public static TestFlow udp(int clientPort, int serverPort) {
        return new TestFlow(17, clientPort, serverPort);
    }

    /** A TCP flow to {@code serverPort} driving {@code d}. */
    public static TestFlow tcp(Dissector d, int serverPort) {
        return new TestFlow(d, true, serverPort);
    }

    /** A UDP flow to {@code serverPort} driving {@code d}. */
    public static TestFlow udp(Dissector d, int serverPort) {
        return new TestFlow(d, false, serverPort);
    }

    /** Counts a payload packet of that side, as the engine does before calling a dissector. */
    public TestFlow packet(boolean fromClient) {
        packets[fromClient ? 0 : 1]++;
        return this;
    }

    /** Feeds one payload to {@code d} unless it was stopped; returns the verdict so far. */
    public int feed(Dissector d, boolean fromClient, byte[] b, int off, int len) {
        if (stopped) {
            return verdict;
        }
        packet(fromClient);
        int r = d.inspect(this, fromClient, b, off, len);
        if (r == Dissector.MATCH || r == Dissector.DONE) {
            matched = true;
        }
        if (r == Dissector.NO && verdict == Dissector.MATCH) {
            verdict = Dissector.DONE; // the engine keeps a match when a matched dissector stops
        } else if (r != Dissector.NEED_MORE || verdict != Dissector.MATCH) {
            verdict = r;
        }
        stopped = verdict == Dissector.NO || verdict == Dissector.DONE;
        return verdict;
    }

    public int feed(Dissector d, boolean fromClient, byte[] b) {
        return feed(d, fromClient, b, 0, b.length);
    }

    /** Feeds text, one byte per character (ISO-8859-1). */
    public int feed(Dissector d, boolean fromClient, String text) {
        return feed(d, fromClient, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Feeds the flow's own {@link #dissector}. */
    public int feed(boolean fromClient, byte[] b, int off, int len) {
        return feed(dissector, fromClient, b, off, len);
    }

    public int feed(boolean fromClient, byte[] b) {
        return feed(dissector, fromClient, b, 0, b.length);
    }

    public TestFlow client(byte[] b) {
        feed(true, b);
        return this;
    }

    public TestFlow server(byte[] b) {
        feed(false, b);
        return this;
    }

    /** Whether per-transaction events are asked for ({@link FlowContext#transactions()}); off by default. */
    public boolean transactions;
    /** The events reported, as {@code kind fields} text, in order. */
    public final List<String> events = new ArrayList<>();

    @Override
    public boolean transactions() {
        return transactions;
    }

    @Override
    public void transaction(String event, Map<String, Object> fields) {
        if (transactions) {
            Map<String, Object> m = new LinkedHashMap<>();
            fields.forEach((k, v) -> {
                if (v != null) {
                    m.put(k, v);
                }
            });
            events.add(event + " " + m);
        }
    }

    /** Ends the flow as the engine does with events on: pending transactions are flushed. */
    public TestFlow end() {
        if (transactions && state instanceof org.fathom.protocol.PendingTransactions p) {
            p.flush(this);
        }
        return this;
    }

    /** A summary of everything the dissector decided, to compare runs. */
    public String outcome() {
        return "matched=" + matched + " verdict=" + verdict + " meta=" + meta + " risks=" + risks + " host=" + host
                + " proto=" + protocol + " app=" + application + " swaps=" + swaps + " expect=" + expectations;
    }

    @Override public int l4() { return l4; }
    @Override public int clientPort() { return clientPort; }
    @Override public int serverPort() { return serverPort; }
    @Override public boolean ipv6() { return ipv6; }
    @Override public long timestampNanos() { return timestampNanos; }
    @Override public int payloadPackets(boolean fromClient) { return packets[fromClient ? 0 : 1]; }
    @Override public Object state() { return state; }
    @Override public void setState(Object s) { state = s; }

    @Override
    public void put(String key, Object value) {
        if (value != null) {
            meta.put(key, value);
        }
    }

    @Override public Object get(String key) { return meta.get(key); }
    @Override public void addRisk(Risk r) { risks.add(r); }

    @Override
    public void setHost(String h, boolean override) {
        if (h != null && !h.isEmpty() && (host == null || override)) {
            host = h;
        }
    }

    @Override
    public void setProtocol(String name, String category) {
        protocol = name;
        protocolCategory = category;
    }

    @Override public void setApplication(String name, String category) { application = name; }
    @Override public void swapClient() { swaps++; }

    @Override
    public void learnAddress(long hi, long lo, String name) {
        learned.add(Long.toHexString(hi) + "/" + Long.toHexString(lo) + "=" + name);
    }

    @Override
    public void expect(int proto, long hi, long lo, int port, String name, String category) {
        expectations.add(proto + "/" + Long.toHexString(hi) + ":" + Long.toHexString(lo) + ":" + port + "=" + name);
    }

    @Override public long clientHi() { return cHi; }
    @Override public long clientLo() { return cLo; }
    @Override public long serverHi() { return sHi; }
    @Override public long serverLo() { return sLo; }

    @Override
    public void follow(org.fathom.protocol.FlowMeter m) {
        meter = m;
    }
}
