package org.fathom.protocol.apptest;

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
 * A {@link FlowContext} for unit tests of one dissector: records everything the dissector says
 * and feeds it the way the classifier does (stops after {@code NO} or {@code DONE}).
 */
public final class TestFlow implements FlowContext {
    public final Dissector dissector;
    public int l4;
    public int clientPort = 40000;
    public int serverPort;
    public boolean ipv6;
    public long cHi, cLo = 0x0000FFFF00000000L | 0x0A000001L, sHi, sLo = 0x0000FFFF00000000L | 0x0A000002L;
    private final int[] packets = new int[2];
    private Object state;
    public final Map<String, Object> meta = new LinkedHashMap<>();
    public final Set<Risk> risks = EnumSet.noneOf(Risk.class);
    public String host;
    public String protocol;
    public String application;
    public boolean swapped;
    public final List<String> expectations = new ArrayList<>();
    /** First verdict other than NEED_MORE, or NEED_MORE. */
    public int verdict = Dissector.NEED_MORE;
    public boolean matched;
    public boolean stopped;
    public final List<Integer> results = new ArrayList<>();

    public TestFlow(Dissector d, boolean tcp, int serverPort) {
        this.dissector = d;
        this.l4 = tcp ? 6 : 17;
        this.serverPort = serverPort;
    }

    public static TestFlow tcp(Dissector d, int port) {
        return new TestFlow(d, true, port);
    }

    public static TestFlow udp(Dissector d, int port) {
        return new TestFlow(d, false, port);
    }

    /** Feeds one payload (unless the dissector already stopped); returns its answer. */
    public int feed(boolean fromClient, byte[] b) {
        return feed(fromClient, b, 0, b.length);
    }

    public int feed(boolean fromClient, byte[] b, int off, int len) {
        if (stopped) {
            return verdict;
        }
        packets[fromClient ? 0 : 1]++;
        int r = dissector.inspect(this, fromClient, b, off, len);
        results.add(r);
        if (r == Dissector.MATCH || r == Dissector.DONE) {
            matched = true;
        }
        if (r != Dissector.NEED_MORE && (verdict == Dissector.NEED_MORE || verdict == Dissector.MATCH)) {
            verdict = r;
        }
        if (r == Dissector.NO || r == Dissector.DONE) {
            stopped = true;
        }
        return r;
    }

    public TestFlow client(byte[] b) {
        feed(true, b);
        return this;
    }

    public TestFlow server(byte[] b) {
        feed(false, b);
        return this;
    }

    /** A summary of everything the dissector decided, to compare runs. */
    public String outcome() {
        return "matched=" + matched + " no=" + (verdict == Dissector.NO) + " meta=" + meta + " risks=" + risks
                + " host=" + host + " proto=" + protocol + " app=" + application + " swapped=" + swapped
                + " expect=" + expectations;
    }

    @Override public int l4() { return l4; }
    @Override public int clientPort() { return clientPort; }
    @Override public int serverPort() { return serverPort; }
    @Override public boolean ipv6() { return ipv6; }
    @Override public long timestampNanos() { return 0; }
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

    @Override public void setProtocol(String name, String category) { protocol = name; }
    @Override public void setApplication(String name, String category) { application = name; }
    @Override public void swapClient() { swapped = !swapped; }
    @Override public void learnAddress(long hi, long lo, String name) { }

    @Override
    public void expect(int proto, long hi, long lo, int port, String name, String category) {
        expectations.add(proto + "/" + Long.toHexString(hi) + ":" + Long.toHexString(lo) + ":" + port + "=" + name);
    }

    @Override public long clientHi() { return cHi; }
    @Override public long clientLo() { return cLo; }
    @Override public long serverHi() { return sHi; }
    @Override public long serverLo() { return sLo; }
}
