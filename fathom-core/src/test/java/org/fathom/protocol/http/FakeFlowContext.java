package org.fathom.protocol.http;

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
 * A {@link FlowContext} for dissector unit tests: records everything a dissector tells it, and
 * drives a dissector the way the engine does (stops after NO or DONE). Shared by the tests of the
 * web, naming, discovery, VoIP and peer-to-peer dissectors.
 */
public final class FakeFlowContext implements FlowContext {
    public int l4 = 6;
    public int clientPort = 40000;
    public int serverPort = 80;
    public boolean ipv6;
    public long cHi, cLo = 0x0000FFFF_7F000001L, sHi, sLo = 0x0000FFFF_7F000002L;
    public final int[] packets = new int[2];
    public Object state;
    public final Map<String, Object> meta = new LinkedHashMap<>();
    public final Set<Risk> risks = EnumSet.noneOf(Risk.class);
    public String host;
    public String protocol;
    public String protocolCategory;
    public String application;
    public boolean swapped;
    public final List<String> learned = new ArrayList<>();
    public final List<String> expected = new ArrayList<>();
    /** Last verdict of {@link #feed}; NEED_MORE before any. */
    public int verdict = Dissector.NEED_MORE;

    public static FakeFlowContext tcp(int serverPort) {
        FakeFlowContext c = new FakeFlowContext();
        c.l4 = 6;
        c.serverPort = serverPort;
        return c;
    }

    public static FakeFlowContext udp(int serverPort) {
        FakeFlowContext c = new FakeFlowContext();
        c.l4 = 17;
        c.serverPort = serverPort;
        return c;
    }

    /** Feeds one payload unless the dissector already said NO or DONE; returns the verdict so far. */
    public int feed(Dissector d, boolean fromClient, byte[] b, int off, int len) {
        if (verdict == Dissector.NO || verdict == Dissector.DONE) {
            return verdict;
        }
        packets[fromClient ? 0 : 1]++;
        int r = d.inspect(this, fromClient, b, off, len);
        if (r == Dissector.NO && (verdict == Dissector.MATCH)) {
            verdict = Dissector.DONE; // the engine keeps a match when a matched dissector stops
        } else if (r != Dissector.NEED_MORE || verdict != Dissector.MATCH) {
            verdict = r;
        }
        if (swapped) {
            // as the engine does: sides flip for later packets
        }
        return verdict;
    }

    public int feed(Dissector d, boolean fromClient, byte[] b) {
        return feed(d, fromClient, b, 0, b.length);
    }

    public int feed(Dissector d, boolean fromClient, String ascii) {
        return feed(d, fromClient, ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** True when the verdict so far says the flow is this protocol. */
    public boolean matched() {
        return verdict == Dissector.MATCH || verdict == Dissector.DONE;
    }

    @Override public int l4() { return l4; }
    @Override public int clientPort() { return clientPort; }
    @Override public int serverPort() { return serverPort; }
    @Override public boolean ipv6() { return ipv6; }
    @Override public long timestampNanos() { return 0; }
    @Override public int payloadPackets(boolean fromClient) { return packets[fromClient ? 0 : 1]; }
    @Override public Object state() { return state; }
    @Override public void setState(Object s) { state = s; }
    @Override public void put(String key, Object value) { if (value != null) { meta.put(key, value); } }
    @Override public Object get(String key) { return meta.get(key); }
    @Override public void addRisk(Risk risk) { risks.add(risk); }

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

    @Override
    public void setApplication(String name, String category) {
        application = name;
    }

    @Override
    public void swapClient() {
        swapped = true;
    }

    @Override
    public void learnAddress(long hi, long lo, String name) {
        learned.add(Long.toHexString(hi) + "/" + Long.toHexString(lo) + "=" + name);
    }

    @Override
    public void expect(int proto, long hi, long lo, int port, String name, String category) {
        expected.add(proto + ":" + Long.toHexString(lo) + ":" + port + "=" + name);
    }

    @Override public long clientHi() { return cHi; }
    @Override public long clientLo() { return cLo; }
    @Override public long serverHi() { return sHi; }
    @Override public long serverLo() { return sLo; }
}
