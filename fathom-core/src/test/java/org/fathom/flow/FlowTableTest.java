package org.fathom.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fathom.flow.Packets.ACK;
import static org.fathom.flow.Packets.FIN;
import static org.fathom.flow.Packets.MS;
import static org.fathom.flow.Packets.PSH;
import static org.fathom.flow.Packets.RST;
import static org.fathom.flow.Packets.S;
import static org.fathom.flow.Packets.SYN;
import static org.fathom.flow.Packets.at;
import static org.fathom.flow.Packets.hi;
import static org.fathom.flow.Packets.lo;
import static org.fathom.flow.Packets.packet;
import static org.fathom.flow.Packets.reverse;
import static org.fathom.flow.Packets.tcp;
import static org.fathom.flow.Packets.udp;
import static org.fathom.flow.Packets.vlan;
import static org.fathom.flow.Packets.wire;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlowTableTest {
    private final Recorder rec = new Recorder();
    private final FlowTable table = new FlowTable(FlowConfig.DEFAULTS, rec);

    private int feed(DecodedPacket p, long nanos) {
        int f = table.update(at(p, nanos));
        table.checkInvariants();
        return f;
    }

    @Nested
    class Directions {
        @ParameterizedTest(name = "client {0}")
        @ValueSource(strings = {"10.0.0.2", "10.0.0.0"}) // client above and below the server in canonical order
        void bothDirectionsLandInOneFlowWithCountersFromTheClientsPointOfView(String client) {
            DecodedPacket c2s = tcp(client, 40000, "10.0.0.1", 80, SYN);
            DecodedPacket s2c = reverse(c2s);
            int f = feed(wire(c2s, 74), 1 * S);
            assertThat(feed(wire(Packets.flags(s2c, SYN | ACK), 74), 1 * S + 100 * MS)).isEqualTo(f);
            assertThat(table.lastFromClient(f)).isFalse();
            assertThat(feed(wire(Packets.flags(c2s, ACK), 66), 1 * S + 200 * MS)).isEqualTo(f);
            assertThat(table.lastFromClient(f)).isTrue();
            assertThat(feed(wire(Packets.flags(s2c, PSH | ACK), 1514), 1 * S + 500 * MS)).isEqualTo(f);

            assertThat(table.active()).isEqualTo(1);
            assertThat(table.created()).isEqualTo(1);
            assertThat(table.l4(f)).isEqualTo(IpProtocol.TCP);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(client));
            assertThat(table.port(f, true)).isEqualTo(40000);
            assertThat(table.addrLo(f, false)).isEqualTo(lo("10.0.0.1"));
            assertThat(table.port(f, false)).isEqualTo(80);
            assertThat(table.packets(f, true)).isEqualTo(2);
            assertThat(table.packets(f, false)).isEqualTo(2);
            assertThat(table.bytes(f, true)).isEqualTo(74 + 66);
            assertThat(table.bytes(f, false)).isEqualTo(74 + 1514);
            assertThat(table.firstSeen(f, true)).isEqualTo(1 * S);
            assertThat(table.lastSeen(f, true)).isEqualTo(1 * S + 200 * MS);
            assertThat(table.firstSeen(f, false)).isEqualTo(1 * S + 100 * MS);
            assertThat(table.lastSeen(f, false)).isEqualTo(1 * S + 500 * MS);
            assertThat(table.firstSeen(f)).isEqualTo(1 * S);
            assertThat(table.lastSeen(f)).isEqualTo(1 * S + 500 * MS);
            assertThat(table.tcpFlags(f, true)).isEqualTo(SYN | ACK);
            assertThat(table.tcpFlags(f, false)).isEqualTo(SYN | ACK | PSH);

            table.flush();
            FlowSnapshot r = rec.only();
            assertThat(r.reason()).isEqualTo(FlowEnd.END_OF_INPUT);
            assertThat(List.of(r.packetsC2s(), r.packetsS2c(), r.bytesC2s(), r.bytesS2c())).containsExactly(2L, 2L, 140L, 1588L);
            assertThat(r.clientLo()).isEqualTo(lo(client));
            assertThat(table.active()).isZero();
        }

        @Test
        void ipv6ConversationIsOneFlowWithFullAddresses() {
            DecodedPacket q = udp("2001:db8::20", 5353, "2001:db8:ffff::1", 53);
            int f = feed(wire(q, 90), 5 * S);
            assertThat(feed(wire(reverse(q), 200), 5 * S + 3 * MS)).isEqualTo(f);
            assertThat(feed(wire(q, 90), 6 * S)).isEqualTo(f);
            assertThat(table.addrHi(f, true)).isEqualTo(hi("2001:db8::20"));
            assertThat(table.addrLo(f, true)).isEqualTo(lo("2001:db8::20"));
            assertThat(table.addrHi(f, false)).isEqualTo(hi("2001:db8:ffff::1"));
            assertThat(table.addrLo(f, false)).isEqualTo(lo("2001:db8:ffff::1"));
            assertThat(table.packets(f, true)).isEqualTo(2);
            assertThat(table.packets(f, false)).isEqualTo(1);
            assertThat(table.bytes(f, true)).isEqualTo(180);
            assertThat(table.bytes(f, false)).isEqualTo(200);
            assertThat(table.firstSeen(f, false)).isEqualTo(table.lastSeen(f, false)).isEqualTo(5 * S + 3 * MS);
        }

        @Test
        void ipv4AndIpv6AreDifferentFlowsEvenWithTheSameLowBits() {
            // ::a00:1 (IPv4-compatible) and 10.0.0.1 (IPv4-mapped) differ only in the low word's 0xffff
            int v4 = feed(udp("10.0.0.1", 1000, "10.0.0.2", 53), S);
            int v6 = feed(udp("::a00:1", 1000, "::a00:2", 53), S);
            assertThat(v6).isNotEqualTo(v4);
            assertThat(table.active()).isEqualTo(2);
        }

        @Test
        void reassembledDatagramCountsAllItsFrames() {
            DecodedPacket p = wire(udp("10.1.1.1", 4000, "10.1.1.2", 4001), 4500);
            p.frames = 3;
            int f = feed(p, S);
            assertThat(table.packets(f, true)).isEqualTo(3);
            assertThat(table.bytes(f, true)).isEqualTo(4500);
        }

        @Test
        void timestampsBeforeTheEpochAreKept() {
            // pcapng's if_tsoffset can put a capture before 1970
            DecodedPacket p = udp("10.1.1.1", 4000, "10.1.1.2", 4001);
            int f = feed(p, -20 * S);
            assertThat(table.firstSeen(f, true)).isEqualTo(-20 * S);
            assertThat(table.lastSeen(f, true)).isEqualTo(-20 * S);
            assertThat(table.lastSeen(f)).isEqualTo(-20 * S);
            feed(reverse(p), -19 * S);
            assertThat(table.lastSeen(f, false)).isEqualTo(-19 * S);
            assertThat(table.lastSeen(f)).isEqualTo(-19 * S);
            assertThat(table.firstSeen(f)).isEqualTo(-20 * S);
        }

        @Test
        void outOfOrderTimestampsKeepFirstAndLastPerDirection() {
            DecodedPacket p = udp("10.1.1.1", 4000, "10.1.1.2", 4001);
            int f = feed(p, 10 * S);
            feed(p, 9 * S);
            feed(p, 12 * S);
            feed(p, 11 * S);
            assertThat(table.firstSeen(f, true)).isEqualTo(9 * S);
            assertThat(table.lastSeen(f, true)).isEqualTo(12 * S);
            assertThat(table.firstSeen(f, false)).isZero(); // nothing from the server
        }
    }

    @Nested
    class Keys {
        @Test
        void vlanSeparatesFlows() {
            DecodedPacket p = udp("192.0.2.1", 1234, "192.0.2.2", 53);
            int untagged = feed(p, S);
            int v10 = feed(vlan(Packets.copy(p), 10), S);
            int v20 = feed(vlan(reverse(p), 20), S);
            int v10again = feed(vlan(reverse(p), 10), S);
            assertThat(Set.of(untagged, v10, v20)).hasSize(3);
            assertThat(v10again).isEqualTo(v10);
            assertThat(table.vlan(untagged)).isZero();
            assertThat(table.vlan(v10)).isEqualTo(10);
            assertThat(table.vlan(v20)).isEqualTo(20);
            assertThat(table.packets(v10, true)).isEqualTo(1);
            assertThat(table.packets(v10, false)).isEqualTo(1);
        }

        @Test
        void protocolSeparatesFlowsOnTheSamePorts() {
            int t = feed(tcp("192.0.2.1", 5000, "192.0.2.2", 5001, ACK), S);
            int u = feed(udp("192.0.2.1", 5000, "192.0.2.2", 5001), S);
            int s = feed(packet(IpProtocol.SCTP, "192.0.2.1", 5000, "192.0.2.2", 5001), S);
            assertThat(Set.of(t, u, s)).hasSize(3);
            assertThat(table.port(s, false)).isEqualTo(5001);
        }

        @ParameterizedTest(name = "protocol {0}")
        @ValueSource(ints = {IpProtocol.ICMP, IpProtocol.ICMPV6, IpProtocol.GRE, IpProtocol.ESP, 250})
        void portlessProtocolsAreKeyedWithoutPorts(int proto) {
            // whatever the decoder left in the port fields (e.g. an ICMP identifier) must not split the flow
            DecodedPacket request = packet(proto, "198.51.100.7", 7, "198.51.100.9", 8);
            DecodedPacket reply = packet(proto, "198.51.100.9", 99, "198.51.100.7", 0);
            int f = feed(request, S);
            assertThat(feed(reply, S + MS)).isEqualTo(f);
            assertThat(feed(packet(proto, "198.51.100.7", 1, "198.51.100.9", 2), S + 2 * MS)).isEqualTo(f);
            assertThat(table.port(f, true)).isZero();
            assertThat(table.port(f, false)).isZero();
            assertThat(table.l4(f)).isEqualTo(proto);
            assertThat(table.packets(f, true)).isEqualTo(2);
            assertThat(table.packets(f, false)).isEqualTo(1);
            assertThat(table.addrLo(f, true)).isEqualTo(lo("198.51.100.7"));
            assertThat(table.active()).isEqualTo(1);
        }

        @Test
        void sameEndpointOnBothSidesIsOneFlow() {
            DecodedPacket p = udp("127.0.0.1", 9999, "127.0.0.1", 9999);
            int f = feed(p, S);
            assertThat(feed(reverse(p), S)).isEqualTo(f);
            assertThat(table.packets(f, true)).isEqualTo(2);
        }

        @Test
        void tunnelIsKeptButNotKeyed() {
            DecodedPacket p = udp("10.9.0.1", 1000, "10.9.0.2", 2000);
            p.tunnel = 3;
            int f = feed(p, S);
            DecodedPacket plain = Packets.copy(p);
            plain.tunnel = 0;
            assertThat(feed(plain, S)).isEqualTo(f);
            assertThat(table.tunnel(f)).isEqualTo(3);
        }
    }

    @Nested
    class ClientDetection {
        private static final String LOW = "10.0.0.1";
        private static final String HIGH = "10.0.0.9";

        @ParameterizedTest(name = "client {0}")
        @ValueSource(strings = {LOW, HIGH})
        void senderOfTheFirstSynIsTheClient(String client) {
            String server = client.equals(LOW) ? HIGH : LOW;
            int f = feed(tcp(client, 50000, server, 443, SYN), S);
            feed(tcp(server, 443, client, 50000, SYN | ACK), S + MS);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(client));
            assertThat(table.port(f, false)).isEqualTo(443);
        }

        @ParameterizedTest(name = "client {0}")
        @ValueSource(strings = {LOW, HIGH})
        void receiverOfAFirstSeenSynAckIsTheClient(String client) {
            String server = client.equals(LOW) ? HIGH : LOW;
            int f = feed(tcp(server, 443, client, 50000, SYN | ACK), S);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(client));
            assertThat(table.packets(f, true)).isZero();
            assertThat(table.packets(f, false)).isEqualTo(1);
            assertThat(table.lastFromClient(f)).isFalse();
        }

        @ParameterizedTest(name = "client {0}")
        @ValueSource(strings = {LOW, HIGH})
        void withoutHandshakeTheFirstSenderIsTheClient(String client) {
            String server = client.equals(LOW) ? HIGH : LOW;
            int u = feed(udp(client, 3000, server, 53), S);
            feed(udp(server, 53, client, 3000), S);
            assertThat(table.addrLo(u, true)).isEqualTo(lo(client));
            int t = feed(tcp(client, 3000, server, 22, PSH | ACK), S);
            feed(tcp(server, 22, client, 3000, ACK), S);
            assertThat(table.addrLo(t, true)).isEqualTo(lo(client));
        }

        @ParameterizedTest(name = "client {0}")
        @ValueSource(strings = {LOW, HIGH})
        void aLaterSynOverridesTheFirstSender(String client) {
            // capture started mid-stream with the server's segment; then the client's (retransmitted) SYN
            String server = client.equals(LOW) ? HIGH : LOW;
            int f = feed(wire(tcp(server, 443, client, 50000, PSH | ACK), 1000), S);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(server));
            assertThat(feed(tcp(client, 50000, server, 443, SYN), S + MS)).isEqualTo(f);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(client));
            assertThat(table.port(f, true)).isEqualTo(50000);
            assertThat(table.bytes(f, false)).isEqualTo(1000); // the first segment now counts server to client
            assertThat(table.packets(f, true)).isEqualTo(1);
            // a second SYN, from the other side, does not move the client again
            feed(tcp(server, 443, client, 50000, SYN), S + 2 * MS);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(client));
        }

        @Test
        void protocolHintIsIgnoredOnceASynDecided() {
            int f = feed(tcp(HIGH, 50000, LOW, 443, SYN), S);
            boolean clientIsB = table.clientIsB(f);
            table.setClientIsB(f, !clientIsB);
            assertThat(table.clientIsB(f)).isEqualTo(clientIsB);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(HIGH));
        }

        @Test
        void protocolHintIsIgnoredAfterAFirstSeenSynAck() {
            int f = feed(tcp(LOW, 443, HIGH, 50000, SYN | ACK), S);
            table.setClientIsB(f, false);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(HIGH));
        }

        @Test
        void protocolHintNamesTheClientWithoutHandshake() {
            // a DNS response seen first: the dissector knows the querier is the other side
            int f = feed(udp(LOW, 53, HIGH, 3000), S);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(LOW));
            table.setClientIsB(f, true);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(HIGH));
            assertThat(table.port(f, false)).isEqualTo(53);
            assertThat(table.packets(f, false)).isEqualTo(1);
            table.setClientIsB(f, false); // hints may be revised
            assertThat(table.addrLo(f, true)).isEqualTo(lo(LOW));
        }

        @Test
        void aSynAfterAHintStillDecides() {
            int f = feed(tcp(LOW, 443, HIGH, 50000, ACK), S);
            table.setClientIsB(f, false); // says LOW is the client
            feed(tcp(HIGH, 50000, LOW, 443, SYN), S + MS);
            assertThat(table.addrLo(f, true)).isEqualTo(lo(HIGH));
        }
    }

    @Nested
    class Timeouts {
        private static final String C = "172.16.0.5";
        private static final String SV = "172.16.0.1";

        private int handshake(long t0) {
            int f = feed(tcp(C, 40000, SV, 80, SYN), t0);
            feed(tcp(SV, 80, C, 40000, SYN | ACK), t0 + MS);
            feed(tcp(C, 40000, SV, 80, ACK), t0 + 2 * MS);
            return f;
        }

        private void expectEndsBetween(long quiet, long expired, FlowEnd reason) {
            table.expireIdle(quiet);
            assertThat(rec.ended).as("still held at %d ns", quiet).isEmpty();
            table.expireIdle(expired);
            assertThat(rec.only().reason()).isEqualTo(reason);
            assertThat(table.active()).isZero();
            assertThat(table.expired()).isEqualTo(1);
            table.checkInvariants();
        }

        @Test
        void synOnlyTimesOutAfter30s() {
            feed(tcp(C, 40000, SV, 80, SYN), 0);
            expectEndsBetween(30 * S, 30 * S + 1, FlowEnd.IDLE);
        }

        @Test
        void halfOpenHandshakeKeepsTheHandshakeTimeout() {
            feed(tcp(C, 40000, SV, 80, SYN), 0);
            int f = feed(tcp(SV, 80, C, 40000, SYN | ACK), 0);
            assertThat(table.timeoutClass(f)).isEqualTo(FlowTable.TCP_SYN);
            expectEndsBetween(30 * S, 30 * S + 1, FlowEnd.IDLE);
        }

        @Test
        void establishedTimesOutAfter600s() {
            int f = handshake(0);
            assertThat(table.timeoutClass(f)).isEqualTo(FlowTable.TCP_OPEN);
            expectEndsBetween(600 * S + 2 * MS, 600 * S + 2 * MS + 1, FlowEnd.IDLE);
        }

        @Test
        void finFromBothSidesClosesAfter10s() {
            handshake(0);
            feed(tcp(C, 40000, SV, 80, FIN | ACK), S);
            int f = feed(tcp(SV, 80, C, 40000, FIN | ACK), 2 * S);
            assertThat(table.timeoutClass(f)).isEqualTo(FlowTable.TCP_CLOSED);
            feed(tcp(C, 40000, SV, 80, ACK), 3 * S); // the last ACK still counts to the flow
            assertThat(table.packets(f, true)).isEqualTo(4);
            expectEndsBetween(13 * S, 13 * S + 1, FlowEnd.FIN);
        }

        @Test
        void finFromOneSideIsStillOpen() {
            handshake(0);
            int f = feed(tcp(C, 40000, SV, 80, FIN | ACK), S);
            assertThat(table.timeoutClass(f)).isEqualTo(FlowTable.TCP_OPEN);
        }

        @Test
        void resetClosesAfter10s() {
            feed(tcp(C, 40000, SV, 80, SYN), 0);
            feed(tcp(SV, 80, C, 40000, RST | ACK), S);
            expectEndsBetween(11 * S, 11 * S + 1, FlowEnd.RST);
        }

        @Test
        void udpTimesOutAfter180s() {
            feed(udp(C, 5000, SV, 53), 0);
            expectEndsBetween(180 * S, 180 * S + 1, FlowEnd.IDLE);
        }

        @ParameterizedTest(name = "protocol {0}")
        @ValueSource(ints = {IpProtocol.ICMP, IpProtocol.ICMPV6, IpProtocol.SCTP, IpProtocol.GRE})
        void otherProtocolsTimeOutAfter60s(int proto) {
            feed(packet(proto, C, 0, SV, 0), 0);
            expectEndsBetween(60 * S, 60 * S + 1, FlowEnd.IDLE);
        }

        @Test
        void captureTimeAdvancedByOtherFlowsExpiresIdleFlows() {
            feed(udp(C, 5000, SV, 53), 0);
            feed(udp("10.0.0.1", 1, "10.0.0.2", 2), 100 * S);
            assertThat(rec.ended).isEmpty();
            feed(udp("10.0.0.1", 1, "10.0.0.2", 2), 181 * S);
            assertThat(rec.only().clientLo()).isEqualTo(lo(C));
            assertThat(rec.only().reason()).isEqualTo(FlowEnd.IDLE);
        }

        @Test
        void aPacketAfterTheTimeoutStartsANewFlowEvenBeforeTheSweep() {
            DecodedPacket dns = udp(C, 5000, SV, 53);
            feed(dns, 0);
            // other traffic runs the once-a-second sweep just before the flow's timeout...
            feed(udp("10.0.0.1", 1, "10.0.0.2", 2), 180 * S - 100 * MS);
            assertThat(rec.ended).isEmpty();
            // ...so the next sweep is due at 180.9 s; a packet of the flow at 180.5 s is past its timeout
            int f = feed(dns, 180 * S + 500 * MS);
            FlowSnapshot old = rec.only();
            assertThat(old.reason()).isEqualTo(FlowEnd.IDLE);
            assertThat(old.packetsC2s()).isEqualTo(1);
            assertThat(table.packets(f, true)).isEqualTo(1);
            assertThat(table.firstSeen(f, true)).isEqualTo(180 * S + 500 * MS);
            assertThat(table.created()).isEqualTo(3);
            assertThat(table.expired()).isEqualTo(1);
        }

        @Test
        void flushEndsOpenFlowsAsEndOfInputAndClosedOnesByTheirReason() {
            feed(udp(C, 5000, SV, 53), 0);
            handshake(0);
            feed(tcp(C, 40001, SV, 80, SYN), 0);
            feed(tcp(SV, 80, C, 40001, RST | ACK), 0);
            feed(packet(IpProtocol.ICMP, C, 0, SV, 0), 0);
            table.flush();
            assertThat(rec.ended).extracting(FlowSnapshot::reason)
                    .containsExactlyInAnyOrder(FlowEnd.END_OF_INPUT, FlowEnd.END_OF_INPUT, FlowEnd.RST, FlowEnd.END_OF_INPUT);
            assertThat(table.active()).isZero();
            assertThat(table.expired()).isZero();
            table.checkInvariants();
        }

        @Test
        void afterAFlushTheSameKeysMakeNewFlows() {
            for (int i = 0; i < 300; i++) {
                feed(udp("10.7." + (i / 200) + "." + (i % 200 + 1), 4000 + i, SV, 53), 0);
            }
            table.flush();
            table.checkInvariants();
            assertThat(table.active()).isZero();
            for (int i = 0; i < 300; i++) {
                int f = feed(udp("10.7." + (i / 200) + "." + (i % 200 + 1), 4000 + i, SV, 53), S);
                assertThat(table.packets(f, true) + table.packets(f, false)).as("flow %d starts again", i).isEqualTo(1);
            }
            assertThat(table.created()).isEqualTo(600);
            assertThat(table.active()).isEqualTo(300);
            table.checkInvariants();
        }

        @Test
        void aListenerFailingPartWayThroughAFlushLeavesTheOtherFlowsFindable() {
            int[] calls = {0};
            FlowTable t = new FlowTable(FlowConfig.DEFAULTS, (table, flow, reason) -> {
                if (++calls[0] == 100) {
                    throw new IllegalStateException("listener failed");
                }
            });
            DecodedPacket[] ps = new DecodedPacket[300];
            for (int i = 0; i < ps.length; i++) {
                ps[i] = udp("10.8." + (i / 200) + "." + (i % 200 + 1), 5000 + i, SV, 53);
                ps[i].timestampNanos = 0;
                t.update(ps[i]);
            }
            assertThatThrownBy(t::flush).hasMessage("listener failed");
            t.checkInvariants();
            assertThat(t.active()).isEqualTo(201);   // 99 ended, the 100th ended while its listener threw
            int again = 0;
            for (DecodedPacket p : ps) {
                p.timestampNanos = S;
                int f = t.update(p);
                if (t.packets(f, true) + t.packets(f, false) == 2) {
                    again++;   // still open: found, not made again
                }
            }
            assertThat(again).isEqualTo(201);
            assertThat(t.created()).isEqualTo(399);
            t.checkInvariants();
        }

        @Test
        void customTimeoutsApply() {
            Recorder r = new Recorder();
            FlowTable t = new FlowTable(FlowConfig.DEFAULTS.withTimeouts(20 * S, 5 * S, 2 * S), r);
            t.update(at(udp(C, 5000, SV, 53), 0));
            t.update(at(packet(IpProtocol.ICMP, C, 0, SV, 0), 0));
            t.expireIdle(2 * S + 1);
            assertThat(r.only().l4()).isEqualTo(IpProtocol.ICMP);
            t.expireIdle(5 * S + 1);
            assertThat(r.ended).hasSize(2);
        }
    }

    @Nested
    class PortReuse {
        private static final String C = "203.0.113.50";
        private static final String SV = "203.0.113.10";

        @ParameterizedTest(name = "closed by {0}")
        @ValueSource(strings = {"FIN", "RST"})
        void aNewSynOnAClosedFlowStartsANewFlow(String how) {
            int f1 = feed(tcp(C, 40000, SV, 80, SYN), 0);
            feed(tcp(SV, 80, C, 40000, SYN | ACK), MS);
            feed(tcp(C, 40000, SV, 80, ACK), 2 * MS);
            if (how.equals("FIN")) {
                feed(tcp(C, 40000, SV, 80, FIN | ACK), 3 * MS);
                feed(tcp(SV, 80, C, 40000, FIN | ACK), 4 * MS);
            } else {
                feed(tcp(SV, 80, C, 40000, RST), 3 * MS);
            }
            // the same 5-tuple, opened the other way round
            int f2 = feed(tcp(SV, 80, C, 40000, SYN), S);
            FlowSnapshot old = rec.only();
            assertThat(old.reason()).isEqualTo(how.equals("FIN") ? FlowEnd.FIN : FlowEnd.RST);
            assertThat(old.clientLo()).isEqualTo(lo(C));
            assertThat(old.packetsC2s() + old.packetsS2c()).isEqualTo(how.equals("FIN") ? 5 : 4);
            assertThat(table.created()).isEqualTo(2);
            assertThat(table.active()).isEqualTo(1);
            assertThat(table.packets(f2, true)).isEqualTo(1);
            assertThat(table.packets(f2, false)).isZero();
            assertThat(table.addrLo(f2, true)).isEqualTo(lo(SV));
            assertThat(table.timeoutClass(f2)).isEqualTo(FlowTable.TCP_SYN);
            assertThat(f1).isGreaterThanOrEqualTo(0);
        }

        @Test
        void aRetransmittedSynOnAnOpenFlowStaysInIt() {
            int f = feed(tcp(C, 40000, SV, 80, SYN), 0);
            assertThat(feed(tcp(C, 40000, SV, 80, SYN), S)).isEqualTo(f);
            feed(tcp(SV, 80, C, 40000, SYN | ACK), S + MS);
            assertThat(feed(tcp(C, 40000, SV, 80, SYN), 2 * S)).isEqualTo(f);
            assertThat(table.packets(f, true)).isEqualTo(3);
            assertThat(rec.ended).isEmpty();
        }

        @Test
        void aSynAckOnAClosedFlowStaysInIt() {
            int f = feed(tcp(C, 40000, SV, 80, SYN), 0);
            feed(tcp(SV, 80, C, 40000, RST | ACK), MS);
            assertThat(feed(tcp(SV, 80, C, 40000, SYN | ACK), 2 * MS)).isEqualTo(f);
            assertThat(rec.ended).isEmpty();
        }
    }

    @Nested
    class Bounds {
        private static DecodedPacket distinct(int i) {
            DecodedPacket d = udp("10.0.0.1", 1, "10.0.0.2", 2);
            d.srcLo = 0xFFFF_0A00_0000L + (i >>> 14);
            d.srcPort = 1024 + (i & 0x3FFF);
            return d;
        }

        @Test
        void aFullTableEvictsAndReportsEveryFlowExactlyOnce() {
            Set<String> reported = new HashSet<>();
            long[] calls = {0};
            FlowTable t = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(1000), (tab, f, reason) -> {
                calls[0]++;
                assertThat(reported.add(FlowSnapshot.of(tab, f, reason).conversation())).isTrue();
            });
            DecodedPacket d = distinct(0);
            for (int i = 0; i < 100_000; i++) {
                d.srcLo = 0xFFFF_0A00_0000L + (i >>> 14);
                d.srcPort = 1024 + (i & 0x3FFF);
                d.timestampNanos = i * 1000L;
                t.update(d);
                assertThat(t.active()).isLessThanOrEqualTo(1000);
                if (i % 10_000 == 0) {
                    t.checkInvariants();
                }
            }
            t.checkInvariants();
            assertThat(t.active()).isEqualTo(1000);
            assertThat(t.peak()).isEqualTo(1000);
            assertThat(t.evicted()).isEqualTo(99_000);
            assertThat(t.created()).isEqualTo(100_000);
            t.flush();
            assertThat(calls[0]).isEqualTo(t.created());
            assertThat(reported).hasSize(100_000);
        }

        @Test
        void evictionPrefersClosedThenUnansweredSynThenStalest() {
            FlowTable t = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(8), rec);
            // stalest first: ICMP at 1 ms, then UDP, then established TCP (all older than the others)
            t.update(at(packet(IpProtocol.ICMP, "10.0.0.1", 0, "10.0.0.2", 0), 1 * MS));
            t.update(at(udp("10.0.0.1", 1, "10.0.0.2", 2), 2 * MS));
            t.update(at(tcp("10.0.0.1", 3, "10.0.0.2", 4, SYN), 3 * MS));
            t.update(at(tcp("10.0.0.2", 4, "10.0.0.1", 3, SYN | ACK), 3 * MS));
            t.update(at(tcp("10.0.0.1", 3, "10.0.0.2", 4, ACK), 3 * MS));
            // two unanswered SYNs, the first one touched again later
            t.update(at(tcp("10.0.0.1", 10, "10.0.0.2", 80, SYN), 10 * MS));
            t.update(at(tcp("10.0.0.1", 11, "10.0.0.2", 80, SYN), 11 * MS));
            t.update(at(tcp("10.0.0.1", 10, "10.0.0.2", 80, SYN), 12 * MS));
            // two closed flows, the second closed first
            t.update(at(tcp("10.0.0.1", 20, "10.0.0.2", 80, ACK), 13 * MS));
            t.update(at(tcp("10.0.0.1", 21, "10.0.0.2", 80, ACK), 14 * MS));
            t.update(at(tcp("10.0.0.2", 80, "10.0.0.1", 21, RST), 15 * MS));
            t.update(at(tcp("10.0.0.2", 80, "10.0.0.1", 20, RST), 16 * MS));
            // a recent established one
            t.update(at(udp("10.0.0.1", 30, "10.0.0.2", 31), 17 * MS));
            assertThat(t.active()).isEqualTo(8);
            assertThat(rec.ended).isEmpty();
            for (int i = 0; i < 8; i++) {
                t.update(at(udp("10.0.1.1", 100 + i, "10.0.1.2", 53), 20 * MS + i * MS));
                t.checkInvariants();
            }
            assertThat(rec.ended).extracting(FlowSnapshot::reason).containsOnly(FlowEnd.EVICTED);
            assertThat(rec.ended).extracting(FlowSnapshot::clientPort)
                    .containsExactly(21, 20, 11, 10, 0, 1, 3, 30);
            assertThat(t.evicted()).isEqualTo(8);
        }

        @Test
        void flowsPastTheirTimeoutEndAsIdleRatherThanEvicted() {
            FlowTable t = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(2), rec);
            t.update(at(udp("10.0.0.1", 1, "10.0.0.2", 2), 0));
            // the sweep at 179.9 s ends nothing yet; the next one is due at 180.9 s
            t.update(at(udp("10.0.0.5", 1, "10.0.0.6", 2), 179 * S + 900 * MS));
            // at 180.6 s the first flow is idle past 180 s: the new flow needs room, and the idle one
            // goes with its true reason instead of being counted as evicted
            t.update(at(udp("10.0.0.3", 1, "10.0.0.4", 2), 180 * S + 600 * MS));
            assertThat(rec.ended).extracting(FlowSnapshot::reason).containsExactly(FlowEnd.IDLE);
            assertThat(rec.only().clientPort()).isEqualTo(1);
            assertThat(rec.only().clientLo()).isEqualTo(lo("10.0.0.1"));
            assertThat(t.evicted()).isZero();
            assertThat(t.active()).isEqualTo(2);
        }

        @Test
        void tableGrowsFromItsInitialSizeAndKeepsEveryFlow() {
            FlowTable t = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(50_000), rec);
            int[] ids = new int[20_000];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = t.update(at(distinct(i), i));
            }
            t.checkInvariants();
            assertThat(t.active()).isEqualTo(20_000);
            for (int i = 0; i < ids.length; i++) {
                DecodedPacket r = reverse(at(distinct(i), 30_000 + i));
                assertThat(t.update(r)).isEqualTo(ids[i]);
                assertThat(t.packets(ids[i], false)).isEqualTo(1);
            }
            assertThat(rec.ended).isEmpty();
        }
    }

    @Nested
    class Hashing {
        private static int distinctSlots(java.util.function.IntFunction<long[]> key, int n, int bits) {
            Set<Integer> slots = new HashSet<>();
            for (int i = 0; i < n; i++) {
                long[] k = key.apply(i);
                slots.add(FlowTable.hash(k[0], k[1], k[2], k[3], k[4]) & ((1 << bits) - 1));
            }
            return slots.size();
        }

        private static long meta(int proto, int vlan, int aPort, int bPort) {
            return proto | (long) vlan << 8 | (long) aPort << 32 | (long) bPort << 48;
        }

        @Test
        void everyPartOfTheKeyReachesTheSlotBits() {
            long a = lo("10.0.0.1");
            long b = lo("10.0.0.2");
            // 4096 keys into 4096 slots: uniform hashing fills ~63 %
            int n = 4096;
            int bits = 12;
            int min = 2400;
            assertThat(distinctSlots(i -> new long[] {0, a, 0, b, meta(6, 0, 80, i + 1024)}, n, bits)).as("port B").isGreaterThan(min);
            assertThat(distinctSlots(i -> new long[] {0, a, 0, b, meta(6, 0, i + 1024, 80)}, n, bits)).as("port A").isGreaterThan(min);
            assertThat(distinctSlots(i -> new long[] {0, a, 0, b, meta(6, i, 80, 80)}, n, bits)).as("vlan").isGreaterThan(min);
            assertThat(distinctSlots(i -> new long[] {0, a + ((long) i << 20), 0, b, meta(6, 0, 80, 80)}, n, bits)).as("A low").isGreaterThan(min);
            assertThat(distinctSlots(i -> new long[] {0, a, 0, b + ((long) i << 20), meta(6, 0, 80, 80)}, n, bits)).as("B low").isGreaterThan(min);
            long p6 = hi("2001:db8::");
            assertThat(distinctSlots(i -> new long[] {p6 + ((long) i << 40), 1, p6, 2, meta(17, 0, 53, 53)}, n, bits)).as("A prefix").isGreaterThan(min);
            assertThat(distinctSlots(i -> new long[] {p6, 1, p6 + ((long) i << 40), 2, meta(17, 0, 53, 53)}, n, bits)).as("B prefix").isGreaterThan(min);
            assertThat(distinctSlots(i -> new long[] {0, a, 0, b, meta(i & 0xFF, i >>> 8, 0, 0)}, n, bits)).as("protocol+vlan").isGreaterThan(min);
        }

        @Test
        void oneClientAboveItsServerOpeningManyConnectionsStaysFast() {
            // the client's ephemeral port is endpoint B's port: it used to be ignored by the slot bits,
            // putting every such flow on one probe run
            FlowTable t = new FlowTable(FlowConfig.DEFAULTS.withMaxFlows(40_000), rec);
            DecodedPacket p = tcp("10.0.0.200", 0, "10.0.0.1", 443, SYN);
            for (int port = 1024; port < 1024 + 30_000; port++) {
                p.srcPort = port;
                t.update(p);
            }
            assertThat(t.active()).isEqualTo(30_000);
            // at a load of 0.46, linear probing with a uniform hash averages ~1.4 slots
            assertThat(t.meanProbeLength()).isLessThan(2.0);
        }
    }
}
