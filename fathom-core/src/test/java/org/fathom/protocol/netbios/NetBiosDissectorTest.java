package org.fathom.protocol.netbios;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class NetBiosDissectorTest {
    private final NetBiosDissector d = new NetBiosDissector();

    /** RFC 1001 section 14.1 first-level encoding of a 15-character name and its suffix. */
    static String encode(String name, int suffix) {
        StringBuilder sb = new StringBuilder();
        String padded = String.format("%-15s", name);
        for (int i = 0; i < 16; i++) {
            int c = i < 15 ? padded.charAt(i) : suffix;
            sb.append((char) ('A' + (c >> 4))).append((char) ('A' + (c & 15)));
        }
        return sb.toString();
    }

    static byte[] nameQuery(String name, int suffix) {
        return Bytes.of().u16(0x8a3b).u16(0x0110).u16(1).u16(0).u16(0).u16(0)
                .u8(32).ascii(encode(name, suffix)).u8(0).u16(0x20).u16(1).get();
    }

    @Test
    void nameServiceQuery() {
        TestFlow c = TestFlow.udp(137);
        assertThat(c.feed(d, true, nameQuery("WORKGROUP", 0x1d))).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("netbios.name", "WORKGROUP<1d>");
    }

    @Test
    void datagramService() {
        byte[] dgm = Bytes.of(0x11, 0x0a).u16(0x8001).u8(10, 0, 0, 1).u16(138).u16(168).u16(0)
                .u8(32).ascii(encode("HOST", 0)).u8(0).u8(32).ascii(encode("WORKGROUP", 0x1e)).u8(0).zeros(100).get();
        TestFlow c = TestFlow.udp(138);
        assertThat(c.feed(d, true, dgm)).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("netbios.name", "HOST<00>");
    }

    @Test
    void sessionRequestAndKeepAlive() {
        byte[] req = Bytes.of(0x81, 0).u16(68).u8(32).ascii(encode("SERVER", 0x20)).u8(0).u8(32).ascii(encode("CLIENT", 0)).u8(0).get();
        TestFlow c = TestFlow.tcp(139);
        assertThat(c.feed(d, true, req)).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("netbios.name", "SERVER<20>");
        TestFlow k = TestFlow.tcp(139);
        assertThat(k.feed(d, true, Bytes.of(0x85, 0, 0, 0).get())).isEqualTo(Dissector.DONE);
    }

    @Test
    void otherProtocolsAndOtherPortsAreRejected() {
        for (String o : Bytes.OTHERS) {
            for (int port : new int[] {137, 138, 139}) {
                TestFlow u = TestFlow.udp(port);
                assertThat(u.feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
                TestFlow t = TestFlow.tcp(port);
                assertThat(t.feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            }
        }
        TestFlow off = TestFlow.udp(53);
        assertThat(off.feed(d, true, nameQuery("X", 0))).isEqualTo(Dissector.NO);
    }

    @Test
    void junkNeverThrows() {
        assertThat(DissectorChecks.neverThrows(d, 137, 1, nameQuery("WORKGROUP", 0x1d))).isPositive();
        assertThat(DissectorChecks.neverThrows(d, 139, 2, Bytes.of(0x81, 0).u16(68).u8(32).ascii(encode("S", 0)).get())).isPositive();
    }
}
