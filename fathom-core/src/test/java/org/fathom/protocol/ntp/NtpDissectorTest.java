package org.fathom.protocol.ntp;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class NtpDissectorTest {
    private final NtpDissector d = new NtpDissector();

    static byte[] client() {
        return Bytes.of(0x23, 0, 6, 0xEC).zeros(44).get(); // LI 0, VN 4, mode 3
    }

    @Test
    void clientAndControl() {
        TestFlow c = TestFlow.udp(123);
        assertThat(c.feed(d, true, client())).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("ntp.version", 4L).containsEntry("ntp.mode", "client");
        byte[] control = Bytes.of(0x16, 0x02).u16(1).u16(0).u16(0).u16(0).u16(0).get(); // mode 6 read status
        assertThat(TestFlow.udp(123).feed(d, true, control)).isEqualTo(Dissector.DONE);
        assertThat(TestFlow.udp(40000).feed(d, true, client())).isEqualTo(Dissector.NO);
        byte[] v0 = client();
        v0[0] = 0x03;
        assertThat(TestFlow.udp(123).feed(d, true, v0)).isEqualTo(Dissector.NO);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(123).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 123, 10, client());
    }
}
