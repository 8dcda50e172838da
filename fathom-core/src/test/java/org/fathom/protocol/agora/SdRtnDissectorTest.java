package org.fathom.protocol.agora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.hex;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.junit.jupiter.api.Test;

/** Agora SD-RTN: the opening datagram of the corpus capture agora-sd-rtn.pcap (to 23.248.186.179:8130). */
class SdRtnDissectorTest {
    private static final String OPEN = "005a384c000021000000000004534e49001c00"
            + "32332d3234382d3138362d3137392e656467652e61676f72612e696f" // 23-248-186-179.edge.agora.io
            + "50444d4400004350544f81004e4f4e432000000097e74ee75756f55fec185134542d92669bcc5b1ce1819c6e11aa23268c";

    private static Drive.Outcome run(byte[] b) {
        return Drive.run(new SdRtnDissector(), new TestFlow(17, 35778, 8130), List.of(Msg.c(b)));
    }

    @Test
    void openingDatagramWithAnAgoraEdgeNameIsSdRtn() {
        Drive.Outcome o = run(hex(OPEN));
        assertThat(o.recognised()).isTrue();
        assertThat(o.protocol()).isEqualTo("SD-RTN");
    }

    @Test
    void anotherDomainOrALengthPastTheEndIsNot() {
        byte[] other = hex(OPEN);
        other[19 + 20] = 'x'; // ...edge.xgora.io
        assertThat(run(other).recognised()).isFalse();
        byte[] tooLong = hex(OPEN.substring(0, 2 * (19 + 28)));
        tooLong[17] = 29;
        assertThat(run(tooLong).recognised()).isFalse();
        byte[] tag = hex(OPEN);
        tag[14] = 'M';
        assertThat(run(tag).recognised()).isFalse();
        byte[] data = hex(OPEN);
        data[0] = 1;
        assertThat(run(data).recognised()).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                assertThat(Drive.run(new SdRtnDissector(), s.flowOn(8130), s.msgs()).recognised()).as(s.label()).isFalse();
            }
        }
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 80) byte[] b, @ForAll boolean fromClient) {
        if (b.length > 0) {
            assertThat(new SdRtnDissector().inspect(new TestFlow(17, 1, 2), fromClient, b, 0, b.length)).isBetween(Dissector.NO, Dissector.DONE);
        }
    }

    @Property(tries = 300)
    void neverThrowsWithTheTagInPlace(@ForAll @Size(min = 0, max = 60) byte[] tail, @ForAll byte lenLo, @ForAll byte lenHi) {
        byte[] head = hex("00000000000000000000000004534e4900");
        byte[] b = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, b, 0, head.length);
        b[head.length] = lenLo;
        b[head.length + 1] = lenHi;
        System.arraycopy(tail, 0, b, head.length + 2, tail.length);
        assertThat(new SdRtnDissector().inspect(new TestFlow(17, 1, 2), true, b, 0, b.length)).isBetween(Dissector.NO, Dissector.DONE);
    }
}
