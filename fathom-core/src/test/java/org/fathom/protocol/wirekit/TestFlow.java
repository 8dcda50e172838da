package org.fathom.protocol.wirekit;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;

/** A {@link FlowContext} for unit tests: one flow, one dissector, everything recorded. */
public final class TestFlow implements FlowContext {
    public final int l4;
    public final int clientPort;
    public final int serverPort;
    private final int[] packets = new int[2];
    private Object state;
    public final Map<String, Object> meta = new LinkedHashMap<>();
    public final Set<Risk> risks = EnumSet.noneOf(Risk.class);
    public String host;
    public String protocol;
    public String application;

    public TestFlow(int l4, int clientPort, int serverPort) {
        this.l4 = l4;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
    }

    public static TestFlow tcp(int clientPort, int serverPort) {
        return new TestFlow(6, clientPort, serverPort);
    }

    public static TestFlow udp(int clientPort, int serverPort) {
        return new TestFlow(17, clientPort, serverPort);
    }

    /** Counts a payload packet of that side (the engine does this before calling the dissector). */
    void count(boolean fromClient) {
        packets[fromClient ? 0 : 1]++;
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
        return false;
    }

    @Override
    public long timestampNanos() {
        return 0;
    }

    @Override
    public int payloadPackets(boolean fromClient) {
        return packets[fromClient ? 0 : 1];
    }

    @Override
    public Object state() {
        return state;
    }

    @Override
    public void setState(Object s) {
        state = s;
    }

    @Override
    public void put(String key, Object value) {
        if (value != null) {
            meta.put(key, value);
        }
    }

    @Override
    public Object get(String key) {
        return meta.get(key);
    }

    @Override
    public void addRisk(Risk risk) {
        risks.add(risk);
    }

    @Override
    public void setHost(String h, boolean override) {
        if (h != null && (host == null || override)) {
            host = h;
        }
    }

    @Override
    public void setProtocol(String name, String category) {
        protocol = name;
    }

    @Override
    public void setApplication(String name, String category) {
        application = name;
    }

    @Override
    public void swapClient() {
    }

    @Override
    public void learnAddress(long hi, long lo, String name) {
    }

    @Override
    public void expect(int proto, long hi, long lo, int port, String name, String category) {
    }

    @Override
    public long clientHi() {
        return 0;
    }

    @Override
    public long clientLo() {
        return 0x0000FFFF7F000001L;
    }

    @Override
    public long serverHi() {
        return 0;
    }

    @Override
    public long serverLo() {
        return 0x0000FFFF7F000001L;
    }
}
