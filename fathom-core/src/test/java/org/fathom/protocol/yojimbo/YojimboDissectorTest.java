package org.fathom.protocol.yojimbo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.yojimbo.Netcode.packet;
import static org.fathom.protocol.yojimbo.Netcode.request;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Golden;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

/** Yojimbo (netcode.io): packets built from the protocol's STANDARD.md. */
class YojimboDissectorTest {
    private static boolean recognised(List<Msg> msgs) {
        return Drive.run(new YojimboDissector(), new TestFlow(17, 51000, 40000), msgs).recognised();
    }

    @Test
    void theConnectionRequestDecidesInOneDatagram() {
        TestFlow f = new TestFlow(17, 51000, 40000);
        YojimboDissector d = new YojimboDissector();
        assertThat(d.inspect(f, true, request(true), 0, 1078)).isEqualTo(Dissector.DONE);
        assertThat(d.inspect(new TestFlow(17, 51000, 40000), true, request(false), 0, 1062)).isEqualTo(Dissector.DONE);
    }

    @Test
    void aRequestWithAnotherLengthVersionOrDirectionIsNot() {
        byte[] r = request(true);
        assertThat(recognised(List.of(Msg.c(java.util.Arrays.copyOf(r, 1077))))).isFalse();
        assertThat(recognised(List.of(Msg.c(java.util.Arrays.copyOf(r, 1079))))).isFalse();
        byte[] v = request(true);
        v[1] = 'M';
        assertThat(recognised(List.of(Msg.c(v)))).isFalse();
        byte[] z = request(true);
        z[13] = ' ';
        assertThat(recognised(List.of(Msg.c(z)))).isFalse();
        assertThat(recognised(List.of(Msg.s(request(true))))).isFalse();
        assertThat(Drive.run(new YojimboDissector(), new TestFlow(6, 51000, 40000), List.of(Msg.c(request(true)))).recognised()).isFalse();
    }

    @Test
    void midFlowNeedsAControlPacketEachWay() {
        assertThat(recognised(List.of(Msg.c(packet(3, 7, 308)), Msg.s(packet(4, 1, 8))))).isTrue();
        assertThat(recognised(List.of(Msg.c(packet(4, 300, 8)), Msg.s(packet(5, 70_000, 200)), Msg.s(packet(4, 70_001, 8))))).isTrue();
        // payloads alone are not enough
        assertThat(recognised(List.of(Msg.c(packet(5, 9, 100)), Msg.s(packet(5, 1, 100)), Msg.c(packet(5, 10, 90)),
                Msg.s(packet(5, 2, 80))))).isFalse();
        // a keep-alive whose length disagrees with its type
        assertThat(recognised(List.of(Msg.c(packet(4, 7, 9)), Msg.s(packet(4, 1, 8))))).isFalse();
        // a challenge from the client, a response from the server
        assertThat(recognised(List.of(Msg.c(packet(2, 7, 308)), Msg.s(packet(4, 1, 8))))).isFalse();
        assertThat(recognised(List.of(Msg.c(packet(4, 7, 8)), Msg.s(packet(3, 1, 308))))).isFalse();
        // a sequence number that goes back
        assertThat(recognised(List.of(Msg.c(packet(5, 7, 50)), Msg.c(packet(4, 6, 8)), Msg.s(packet(4, 1, 8))))).isFalse();
        // a high sequence byte of zero (the standard omits high zero bytes)
        byte[] p = packet(4, 0x0102, 8);
        p[0] = (byte) (3 << 4 | 4);
        byte[] padded = new byte[p.length + 1];
        System.arraycopy(p, 0, padded, 0, 3);
        System.arraycopy(p, 3, padded, 4, p.length - 3);
        assertThat(recognised(List.of(Msg.c(padded), Msg.s(packet(4, 1, 8))))).isFalse();
        // type 7 and more, or no sequence bytes, are invalid
        assertThat(recognised(List.of(Msg.c(packet(7, 7, 0)), Msg.s(packet(4, 1, 8))))).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"Yojimbo".equals(s.expect())) {
                    assertThat(Drive.run(new YojimboDissector(), new TestFlow(s.l4(), s.clientPort(), s.serverPort()), s.msgs()).recognised())
                            .as(s.label()).isFalse();
                }
            }
        }
    }

    @Test
    void goldenCaptureIsLabelledYojimbo() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/yojimbo/yojimbo.pcap");
        assertThat(flows).hasSize(2);
        for (FlowRecord f : flows) {
            assertThat(f.protocol()).isEqualTo("Yojimbo");
            assertThat(f.category()).isEqualTo("Game");
            assertThat(f.confidence()).isEqualTo("DPI");
        }
    }

    @Property(tries = 400)
    void neverThrows(@ForAll @Size(max = 1200) byte[] a, @ForAll @Size(max = 80) byte[] b, @ForAll boolean first) {
        TestFlow f = new TestFlow(17, 51000, 40000);
        YojimboDissector d = new YojimboDissector();
        d.inspect(f, first, a, 0, a.length);
        d.inspect(f, !first, b, 0, b.length);
    }

    @Test
    void neverThrowsOnMutatedPackets() {
        assertThat(DissectorChecks.neverThrows(new YojimboDissector(), 40000, 7, request(true), packet(4, 3, 8))).isPositive();
    }
}
