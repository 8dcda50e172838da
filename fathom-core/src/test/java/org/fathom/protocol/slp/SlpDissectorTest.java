package org.fathom.protocol.slp;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class SlpDissectorTest {
    private final SlpDissector d = new SlpDissector();

    /** RFC 2608 section 8.1: SrvRqst with previous responders, service type, scope, predicate, SPI. */
    static byte[] srvRqstV2() {
        Bytes body = Bytes.of().u16(0).u16(19).ascii("service:printer:lpr").u16(7).ascii("default").u16(0).u16(0);
        int length = 14 + 2 + body.size();
        return Bytes.of(2, 1).u24(length).u16(0x2000).u24(0).u16(0x1234).u16(2).ascii("en").bytes(body.get()).get();
    }

    static byte[] daAdvertV1() {
        // RFC 2165 section 7: version, function, length, flags, dialect, language, encoding, XID
        Bytes b = Bytes.of(1, 8).u16(0).u8(0, 0).ascii("en").u16(3).u16(7).u16(0).u16(10).ascii("service:x");
        byte[] m = b.get();
        m[2] = (byte) (m.length >> 8);
        m[3] = (byte) m.length;
        return m;
    }

    @Test
    void versionTwoAnywhereAndVersionOneOnItsPort() {
        TestFlow c = TestFlow.udp(427);
        assertThat(c.feed(d, true, srvRqstV2())).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("slp.version", 2L).containsEntry("slp.function", "SrvRqst");
        assertThat(TestFlow.udp(50000).feed(d, true, srvRqstV2())).isEqualTo(Dissector.DONE);
        assertThat(TestFlow.udp(427).feed(d, true, daAdvertV1())).isEqualTo(Dissector.DONE);
        assertThat(TestFlow.udp(50000).feed(d, true, daAdvertV1())).isEqualTo(Dissector.NO);
    }

    @Test
    void lengthMustAgree() {
        byte[] m = srvRqstV2();
        byte[] longer = java.util.Arrays.copyOf(m, m.length + 3);
        assertThat(TestFlow.udp(427).feed(d, true, longer)).isEqualTo(Dissector.NO);
        m[1] = 12; // no such function
        assertThat(TestFlow.udp(427).feed(d, true, m)).isEqualTo(Dissector.NO);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(427).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            assertThat(TestFlow.tcp(427).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 427, 3, srvRqstV2(), daAdvertV1());
    }
}
