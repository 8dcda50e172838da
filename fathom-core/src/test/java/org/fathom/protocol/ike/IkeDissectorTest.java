package org.fathom.protocol.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.be32;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class IkeDissectorTest {
    /** An IKE header (RFC 7296 section 3.1 / RFC 2408 section 3.1) followed by {@code body}. */
    static byte[] ike(int next, int version, int exchange, int flags, byte[] body) {
        return cat(hex("0123456789abcdef"), new byte[8], new byte[] {(byte) next, (byte) version, (byte) exchange, (byte) flags},
                be32(0), be32(28 + body.length), body);
    }

    @Test
    void ikev2SaInit() {
        byte[] m = ike(33, 0x20, 34, 0x08, new byte[40]);
        TestFlow f = TestFlow.udp(new IkeDissector(), 500).client(m);
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("ipsec.ike_version", 2L);
    }

    @Test
    void ikev1MainModeAndNatTraversal() {
        assertThat(TestFlow.udp(new IkeDissector(), 500).client(ike(1, 0x10, 2, 0, new byte[52])).meta).containsEntry("ipsec.ike_version", 1L);
        TestFlow natT = TestFlow.udp(new IkeDissector(), 4500).client(cat(new byte[4], ike(46, 0x20, 35, 0x08, new byte[80])));
        assertThat(natT.verdict).isEqualTo(Dissector.DONE);
        TestFlow keepalive = TestFlow.udp(new IkeDissector(), 4500).client(new byte[] {(byte) 0xFF});
        assertThat(keepalive.verdict).isEqualTo(Dissector.NEED_MORE);
    }

    @Test
    void ikeOverTcpAtEverySplit() {
        byte[] m = cat(new byte[4], ike(33, 0x20, 34, 0x08, new byte[40]));
        byte[] framed = cat(new byte[] {0, (byte) (m.length + 2)}, m);
        TestFlow f = org.fathom.protocol.apptest.Splits.check(IkeDissector::new, d -> TestFlow.tcp(d, 4500),
                java.util.List.of(org.fathom.protocol.apptest.Msg.c(cat("IKETCP".getBytes(), framed))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("ipsec.ike_version", 2L);
        assertThat(TestFlow.tcp(new IkeDissector(), 4500).client(framed).verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void espInUdpNeedsGrowingSequenceNumbers() {
        TestFlow f = TestFlow.udp(new IkeDissector(), 4500);
        f.client(cat(hex("c0ffee01"), be32(1), new byte[40])).client(cat(hex("c0ffee01"), be32(2), new byte[40]));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        TestFlow g = TestFlow.udp(new IkeDissector(), 4500);
        g.client(cat(hex("c0ffee01"), be32(5), new byte[40])).client(cat(hex("c0ffee02"), be32(6), new byte[40]));
        assertThat(g.verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void wrongLengthVersionOrExchangeIsNot() {
        byte[] m = ike(33, 0x20, 34, 0x08, new byte[40]);
        assertThat(TestFlow.udp(new IkeDissector(), 500).client(cat(m, new byte[1])).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(new IkeDissector(), 500).client(ike(33, 0x30, 34, 8, new byte[4])).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(new IkeDissector(), 500).client(ike(33, 0x20, 7, 8, new byte[4])).verdict).isEqualTo(Dissector.NO);
        // undefined flag bits are ignored on receipt (RFC 7296 section 3.1)
        assertThat(TestFlow.udp(new IkeDissector(), 500).client(ike(33, 0x20, 34, 0xFF, new byte[4])).verdict).isEqualTo(Dissector.DONE);
        byte[] zeroSpi = ike(33, 0x20, 34, 8, new byte[4]);
        java.util.Arrays.fill(zeroSpi, 0, 8, (byte) 0);
        assertThat(TestFlow.udp(new IkeDissector(), 500).client(zeroSpi).verdict).isEqualTo(Dissector.NO);
    }
}
