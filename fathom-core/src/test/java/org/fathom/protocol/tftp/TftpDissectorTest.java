package org.fathom.protocol.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class TftpDissectorTest {
    private final TftpDissector d = new TftpDissector();

    static byte[] rrq() {
        return Bytes.of(0, 1).ascii("pxelinux.0").u8(0).ascii("octet").u8(0).ascii("blksize").u8(0).ascii("1468").u8(0).get();
    }

    @Test
    void readRequestAnnouncesTheTransfer() {
        TestFlow c = TestFlow.udp(69);
        assertThat(c.feed(d, true, rrq())).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("tftp.request", "read").containsEntry("tftp.mode", "octet");
        assertThat(c.expectations).containsExactly("17/0:ffff0a000001:40000=TFTP");
        byte[] badMode = Bytes.of(0, 2).ascii("f").u8(0).ascii("binary").u8(0).get();
        assertThat(TestFlow.udp(69).feed(d, true, badMode)).isEqualTo(Dissector.NO);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(69).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 69, 13, rrq());
    }
}
