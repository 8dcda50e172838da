package org.fathom.protocol.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.be32;
import static org.fathom.protocol.apptest.Bytes.cat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class NfsDissectorTest {
    /** An ONC RPC CALL (RFC 5531 section 9) with AUTH_SYS credentials and a null verifier. */
    static byte[] call(long prog, long vers, long proc) {
        byte[] cred = cat(be32(0x5f5e0f0aL), be32(4), "host".getBytes(), be32(0), be32(0), be32(0));
        return cat(be32(0x12345678L), be32(0), be32(2), be32(prog), be32(vers), be32(proc), be32(1), be32(cred.length), cred,
                be32(0), be32(0), new byte[32]);
    }

    @Test
    void udpCalls() {
        TestFlow f = TestFlow.udp(new NfsDissector(), 2049).client(call(100003, 3, 1));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("nfs.program", "nfs").containsEntry("nfs.version", 3L);
        assertThat(TestFlow.udp(new NfsDissector(), 111).client(call(100000, 2, 3)).meta).containsEntry("nfs.program", "portmap");
        assertThat(TestFlow.udp(new NfsDissector(), 635).client(call(100005, 3, 1)).meta).containsEntry("nfs.program", "mount");
    }

    @Test
    void tcpRecordMarkingAtEverySplit() {
        byte[] c = call(100003, 4, 1);
        TestFlow f = Splits.check(NfsDissector::new, d -> TestFlow.tcp(d, 2049), List.of(Msg.c(cat(be32(0x80000000L | c.length), c))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void otherProgramsAndRepliesAreNot() {
        assertThat(TestFlow.udp(new NfsDissector(), 2049).client(call(100021, 4, 1)).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(new NfsDissector(), 2049).client(call(100003, 9, 1)).verdict).isEqualTo(Dissector.NO);
        byte[] reply = cat(be32(1), be32(1), be32(0), new byte[40]);
        assertThat(TestFlow.udp(new NfsDissector(), 2049).server(reply).verdict).isEqualTo(Dissector.NO);
    }
}
