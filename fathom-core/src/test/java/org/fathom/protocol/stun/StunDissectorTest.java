package org.fathom.protocol.stun;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class StunDissectorTest {
    private final StunDissector d = new StunDissector();

    /** RFC 8489: Binding request with SOFTWARE ("fathom", padded) and FINGERPRINT. */
    static byte[] bindingRequest() {
        return Bytes.of().u16(0x0001).u16(8 + 4 + 8).u32(0x2112A442L).hex("b7e7a701bc34d686fa87dfae")
                .u16(0x8022).u16(6).ascii("fathom").u8(0, 0).u16(0x8028).u16(4).u32(0x12345678L).get();
    }

    static byte[] classicResponse() {
        // RFC 3489 Binding response: MAPPED-ADDRESS (family 1, port, IPv4)
        return Bytes.of().u16(0x0101).u16(12).hex("0102030405060708090a0b0c0d0e0f10").u16(0x0001).u16(8).u8(0, 1).u16(40000).u8(192, 0, 2, 1).get();
    }

    @Test
    void bindingRequestAnywhere() {
        TestFlow c = TestFlow.udp(19302);
        assertThat(c.feed(d, true, bindingRequest())).isEqualTo(Dissector.MATCH);
        assertThat(c.meta).containsEntry("stun.method", "Binding").containsEntry("stun.class", "request").containsEntry("stun.software", "fathom");
        // later media multiplexed on the flow does not undo the match
        assertThat(c.feed(d, false, Bytes.of(0x80, 0x60).zeros(30).get())).isEqualTo(Dissector.MATCH);
    }

    @Test
    void classicStunNeedsItsTypesAndAttributes() {
        assertThat(TestFlow.udp(3478).feed(d, false, classicResponse())).isEqualTo(Dissector.MATCH);
        assertThat(TestFlow.udp(40000).feed(d, false, classicResponse())).isEqualTo(Dissector.MATCH);
        byte[] empty = Bytes.of().u16(0x0001).u16(0).hex("0102030405060708090a0b0c0d0e0f10").get();
        assertThat(TestFlow.udp(40000).feed(d, true, empty)).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(3478).feed(d, true, empty)).isEqualTo(Dissector.MATCH);
    }

    @Test
    void lengthMustMatch() {
        byte[] m = bindingRequest();
        m[3] += 4;
        assertThat(TestFlow.udp(3478).feed(d, true, m)).isEqualTo(Dissector.NO);
        byte[] tcp = Bytes.of().bytes(bindingRequest()).bytes(bindingRequest()).get();
        assertThat(TestFlow.tcp(3478).feed(d, true, tcp)).isEqualTo(Dissector.MATCH);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(3478).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            assertThat(TestFlow.tcp(3478).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 3478, 6, bindingRequest(), classicResponse());
    }
}
