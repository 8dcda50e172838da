package org.fathom.protocol.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class RtmpDissectorTest {
    /** C0 (version 3) and C1 (time, zero, 1,528 random bytes): the start of rtmp.pcap's handshake. */
    static byte[] c0c1() {
        return Bytes.of(0x03).hex("0007aa5700000000").hex("c4ff95ff1affe3ffc000c1003600af00".repeat(95)).zeros(8).get();
    }

    static byte[] s0s1() {
        return Bytes.of(0x03).hex("3dd5b70000000000").hex("0001007600ef003c006d00d200fb00b8".repeat(95)).zeros(8).get();
    }

    @Test
    void handshakeAtEverySplit() {
        assertThat(c0c1()).hasSize(RtmpDissector.C0_C1);
        TestFlow f = Splits.check(RtmpDissector::new, d -> TestFlow.tcp(d, 1935), List.of(Msg.c(c0c1()), Msg.s(s0s1())));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        // any port: the handshake lengths are the evidence (rtmp.pcap has RTMP on 6002 inside GTP)
        assertThat(Splits.whole(RtmpDissector::new, d -> TestFlow.tcp(d, 6002), List.of(Msg.c(c0c1()), Msg.s(s0s1()))).verdict)
                .isEqualTo(Dissector.DONE);
    }

    @Test
    void notRtmp() {
        byte[] shortC1 = java.util.Arrays.copyOf(c0c1(), 1000);
        assertThat(Splits.whole(RtmpDissector::new, d -> TestFlow.tcp(d, 1935), List.of(Msg.c(shortC1), Msg.s(s0s1()))).verdict)
                .isEqualTo(Dissector.NO);
        byte[] other = s0s1();
        other[0] = 6;
        assertThat(Splits.whole(RtmpDissector::new, d -> TestFlow.tcp(d, 1935), List.of(Msg.c(c0c1()), Msg.s(other))).verdict)
                .isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new RtmpDissector(), 1935).server(s0s1()).verdict).isEqualTo(Dissector.NO);
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.tcp(new RtmpDissector(), 1935).client(DissectorChecks.ascii(o)).verdict).as(o).isNotEqualTo(Dissector.DONE);
        }
        DissectorChecks.neverThrows(new RtmpDissector(), 1935, 7, c0c1(), s0s1());
    }
}
