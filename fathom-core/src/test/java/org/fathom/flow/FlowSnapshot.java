package org.fathom.flow;

/**
 * A flow as the table reports it, from the client's point of view; {@code reason} is null for a
 * flow still held.
 */
record FlowSnapshot(int l4, int vlan, int tunnel,
                    long clientHi, long clientLo, int clientPort, long serverHi, long serverLo, int serverPort,
                    long packetsC2s, long packetsS2c, long bytesC2s, long bytesS2c,
                    long firstC2s, long lastC2s, long firstS2c, long lastS2c,
                    int flagsC2s, int flagsS2c, FlowEnd reason) {

    static FlowSnapshot of(FlowTable t, int f, FlowEnd reason) {
        return new FlowSnapshot(t.l4(f), t.vlan(f), t.tunnel(f),
                t.addrHi(f, true), t.addrLo(f, true), t.port(f, true),
                t.addrHi(f, false), t.addrLo(f, false), t.port(f, false),
                t.packets(f, true), t.packets(f, false), t.bytes(f, true), t.bytes(f, false),
                t.firstSeen(f, true), t.lastSeen(f, true), t.firstSeen(f, false), t.lastSeen(f, false),
                t.tcpFlags(f, true), t.tcpFlags(f, false), reason);
    }

    /** Client and server endpoints with protocol and VLAN, e.g. {@code 6 0 ::ffff:a00:2/40000>::ffff:a00:1/80}. */
    String conversation() {
        return l4 + " " + vlan + " " + Long.toHexString(clientHi) + ":" + Long.toHexString(clientLo) + "/" + clientPort
                + ">" + Long.toHexString(serverHi) + ":" + Long.toHexString(serverLo) + "/" + serverPort;
    }
}
