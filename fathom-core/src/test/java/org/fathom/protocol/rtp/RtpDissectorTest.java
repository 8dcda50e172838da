package org.fathom.protocol.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class RtpDissectorTest {
    private final RtpDissector d = new RtpDissector();

    static byte[] rtp(int pt, int seq, long ssrc) {
        return Bytes.of(0x80, pt).u16(seq).u32(seq * 160L).u32(ssrc).zeros(160).get();
    }

    @Test
    void needsARunOfSequenceNumbers() {
        TestFlow c = TestFlow.udp(40000);
        assertThat(c.feed(d, true, rtp(0, 65534, 0x1234))).isEqualTo(Dissector.NEED_MORE);
        assertThat(c.feed(d, true, rtp(0, 65534, 0x1234))).isEqualTo(Dissector.NEED_MORE); // duplicate
        assertThat(c.feed(d, true, rtp(0, 65535, 0x1234))).isEqualTo(Dissector.NEED_MORE);
        assertThat(c.feed(d, true, rtp(0, 0, 0x1234))).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("rtp.payload_type", 0L);
        TestFlow jump = TestFlow.udp(40000);
        jump.feed(d, true, rtp(8, 10, 1));
        jump.feed(d, true, rtp(8, 20, 1));
        assertThat(jump.feed(d, true, rtp(8, 30, 1))).isEqualTo(Dissector.NEED_MORE);
        TestFlow rtcpRange = TestFlow.udp(40000);
        rtcpRange.feed(d, true, rtp(72, 1, 1)); // one stray packet is forgiven
        assertThat(rtcpRange.feed(d, true, rtp(72, 2, 1))).isEqualTo(Dissector.NO);
    }

    @Test
    void rtcpCompound() {
        // SR with no report blocks (28 bytes) + SDES with one chunk (CNAME "a", padded: 12 bytes)
        byte[] sr = Bytes.of(0x80, 200).u16(6).u32(0x1234).zeros(20).u8(0x81, 202).u16(2).u32(0x1234).u8(1, 1, 'a', 0).get();
        TestFlow c = TestFlow.udp(40001);
        assertThat(c.feed(d, true, sr)).isEqualTo(Dissector.DONE);
        assertThat(c.protocol).isEqualTo("RTCP");
        byte[] cut = java.util.Arrays.copyOf(sr, sr.length - 4);
        assertThat(TestFlow.udp(40001).feed(d, true, cut)).isEqualTo(Dissector.NO);
    }

    @Test
    void srtcpNeedsTwoPackets() {
        // RR header and SSRC in the clear, E flag + index, 80-bit tag (RFC 3711 figure 2)
        TestFlow c = TestFlow.udp(3478);
        assertThat(c.feed(d, true, Bytes.of(0x80, 201).u16(1).u32(0x734e7b28L).u32(0x80000005L).zeros(10).get())).isEqualTo(Dissector.NEED_MORE);
        assertThat(c.feed(d, false, Bytes.of(0x80, 201).u16(1).u32(0x5a5d5934L).zeros(28).u32(0x80000001L).zeros(10).get()))
                .isEqualTo(Dissector.DONE);
        assertThat(c.protocol).isEqualTo("RTCP");
    }

    @Test
    void rtpOverTcpFraming() {
        byte[] a = rtp(96, 1, 7);
        byte[] s = Bytes.of().u16(a.length).bytes(a).u16(a.length).bytes(rtp(96, 2, 7)).u16(a.length).bytes(rtp(96, 3, 7)).get();
        for (int k = 1; k < s.length; k += 7) {
            TestFlow c = TestFlow.tcp(5000);
            c.feed(d, true, s, 0, k);
            c.feed(d, true, s, k, s.length - k);
            assertThat(c.verdict).as("split %d", k).isEqualTo(Dissector.DONE);
        }
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            TestFlow c = TestFlow.udp(40000);
            c.feed(d, true, o);
            c.feed(d, true, o);
            assertThat(c.verdict).as(o).isEqualTo(Dissector.NO);
            assertThat(TestFlow.tcp(40000).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 40000, 16, rtp(0, 1, 2), Bytes.of(0x80, 200).u16(6).zeros(24).get());
    }
}
