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
}
