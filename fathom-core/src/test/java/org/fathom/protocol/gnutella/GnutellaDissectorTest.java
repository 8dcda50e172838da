package org.fathom.protocol.gnutella;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class GnutellaDissectorTest {
    private final GnutellaDissector d = new GnutellaDissector();

    static byte[] ping() {
        // GUID with the modern-servent marks (byte 8 = 0xFF, byte 15 = 0), type 0 ping, TTL 1, hops 0,
        // payload: one GGEP block (magic 0xC3)
        byte[] ggep = Bytes.of(0xC3, 0x82, 'S', 'C', 'P', 0x40).get();
        return Bytes.of().hex("0102030405060708ff0a0b0c0d0e0f00").u8(0x00, 1, 0).le32(ggep.length).bytes(ggep).get();
    }

    static byte[] g2() {
        return Bytes.of().ascii("GND").u8(0x02).u16(0x3e8f).u8(1, 1).hex("4850490001").get();
    }

    @Test
    void udpMessagesAndG2Frames() {
        assertThat(TestFlow.udp(6346).feed(d, true, ping())).isEqualTo(Dissector.DONE);
        assertThat(TestFlow.udp(40000).feed(d, true, g2())).isEqualTo(Dissector.DONE);
        assertThat(TestFlow.udp(40000).feed(d, true, Bytes.of().ascii("GND").u8(0, 0, 1, 0, 0).get())).isEqualTo(Dissector.DONE);
        byte[] badLength = ping();
        badLength[19]++;
        assertThat(TestFlow.udp(6346).feed(d, true, badLength)).isEqualTo(Dissector.NO);
        byte[] badPart = g2();
        badPart[6] = 2; // part 2 of 1
        assertThat(TestFlow.udp(6346).feed(d, true, badPart)).isEqualTo(Dissector.NO);
    }

    @Test
    void tcpHandshakeEvenWhenSplit() {
        String hs = "GNUTELLA CONNECT/0.6\r\nUser-Agent: gtk-gnutella/1.2.2\r\n\r\n";
        for (int k = 1; k < 20; k++) {
            TestFlow c = TestFlow.tcp(6346);
            c.feed(d, true, hs.substring(0, k));
            c.feed(d, true, hs.substring(k));
            assertThat(c.verdict).as("split %d", k).isEqualTo(Dissector.DONE);
        }
        assertThat(TestFlow.tcp(6346).feed(d, false, "GNUTELLA/0.6 200 OK\r\n")).isEqualTo(Dissector.DONE);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(6346).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            assertThat(TestFlow.tcp(6346).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 6346, 4, ping(), g2(), DissectorChecks.ascii("GNUTELLA CONNECT/0.6\r\n"));
    }
}
