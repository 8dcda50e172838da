package org.fathom.protocol.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class DhcpDissectorTest {
    private final DhcpDissector d = new DhcpDissector();
    private final Dhcpv6Dissector d6 = new Dhcpv6Dissector();

    /** RFC 2131 section 2: op, htype, hlen, hops, xid, secs, flags, 4 addresses, chaddr, sname, file, cookie. */
    static byte[] discover() {
        return Bytes.of(1, 1, 6, 0).u32(0x3903F326L).u16(0).u16(0x8000).zeros(16).hex("00163e112233").zeros(10).zeros(64).zeros(128)
                .u8(99, 130, 83, 99).u8(53, 1, 1).u8(12, 6).ascii("laptop").u8(60, 8).ascii("MSFT 5.0").u8(255).get();
    }

    static byte[] solicit() {
        // RFC 8415: msg-type, transaction-id, CLIENTID and ELAPSED_TIME options
        return Bytes.of(1).u24(0x123456).u16(1).u16(10).u16(3).u16(1).hex("00163e112233").u16(8).u16(2).u16(0).get();
    }

    @Test
    void discoverWithHostnameAndVendor() {
        TestFlow c = TestFlow.udp(67);
        assertThat(c.feed(d, true, discover())).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("dhcp.message_type", "DISCOVER").containsEntry("dhcp.hostname", "laptop")
                .containsEntry("dhcp.vendor_class", "MSFT 5.0");
        byte[] noCookie = discover();
        noCookie[236] = 0;
        assertThat(TestFlow.udp(67).feed(d, true, noCookie)).isEqualTo(Dissector.NO);
    }

    @Test
    void dhcpv6Solicit() {
        TestFlow c = TestFlow.udp(547);
        c.clientPort = 546;
        assertThat(c.feed(d6, true, solicit())).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("dhcpv6.message_type", "SOLICIT");
        byte[] cut = java.util.Arrays.copyOf(solicit(), solicit().length - 1);
        assertThat(TestFlow.udp(547).feed(d6, true, cut)).isEqualTo(Dissector.NO);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(67).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            assertThat(TestFlow.udp(547).feed(d6, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 67, 8, discover());
        DissectorChecks.neverThrows(d6, 547, 9, solicit());
    }

    @Test
    void withEventsEveryMessageIsAnEventAndARepliesInTheFlowGetTheirResponseTime() {
        TestFlow c = TestFlow.udp(67);
        c.clientPort = 68;
        c.transactions = true;
        byte[] request = Bytes.of(1, 1, 6, 0).u32(0x3903F326L).u16(0).u16(0).zeros(16).hex("00163e112233").zeros(10).zeros(64).zeros(128)
                .u8(99, 130, 83, 99).u8(53, 1, 3).u8(55, 4, 1, 3, 6, 15).u8(255).get();
        byte[] ack = Bytes.of(2, 1, 6, 0).u32(0x3903F326L).u16(0).u16(0).zeros(4).u8(192, 168, 1, 20).zeros(8).hex("00163e112233").zeros(10)
                .zeros(64).zeros(128).u8(99, 130, 83, 99).u8(53, 1, 5).u8(51, 4).u32(86400).u8(255).get();
        assertThat(c.feed(d, true, request)).isEqualTo(Dissector.MATCH);
        c.timestampNanos += 2_500_000;
        assertThat(c.feed(d, false, ack)).isEqualTo(Dissector.MATCH);
        assertThat(c.events).containsExactly(
                "dhcp {dhcp.message_type=REQUEST, dhcp.xid=0x3903f326, dhcp.requested_options=1,3,6,15, dhcp.client_mac=00:16:3e:11:22:33}",
                "dhcp {dhcp.message_type=ACK, dhcp.xid=0x3903f326, dhcp.lease_time=86400, dhcp.client_mac=00:16:3e:11:22:33, "
                        + "dhcp.assigned_ip=192.168.1.20, dhcp.response_ms=2.5}");
        // the flow record keeps what it had without events
        assertThat(c.meta).containsOnlyKeys("dhcp.message_type").containsEntry("dhcp.message_type", "REQUEST");
    }

    @Test
    void withEventsDhcpv6MessagesAreEvents() {
        TestFlow c = TestFlow.udp(547);
        c.clientPort = 546;
        c.transactions = true;
        assertThat(c.feed(d6, true, solicit())).isEqualTo(Dissector.MATCH);
        // ADVERTISE: IA_NA (IAID, T1, T2) holding IAADDR 2001:db8::5, lifetimes 3600/7200; FQDN "host.example"
        byte[] adv = Bytes.of(2).u24(0x123456).u16(3).u16(40).u32(1).u32(0).u32(0).u16(5).u16(24).hex("20010db8000000000000000000000005")
                .u32(3600).u32(7200).u16(39).u16(15).u8(0).u8(4).ascii("host").u8(7).ascii("example").u8(0).get();
        c.timestampNanos += 1_000_000;
        assertThat(c.feed(d6, false, adv)).isEqualTo(Dissector.MATCH);
        assertThat(c.events).containsExactly("dhcp {dhcp.message_type=SOLICIT, dhcp.xid=0x123456}",
                "dhcp {dhcp.message_type=ADVERTISE, dhcp.xid=0x123456, dhcp.assigned_ip=2001:db8::5, dhcp.lease_time=7200, "
                        + "dhcp.hostname=host.example, dhcp.response_ms=1.0}");
        assertThat(c.meta).containsOnly(java.util.Map.entry("dhcpv6.message_type", "SOLICIT"));
    }
}
