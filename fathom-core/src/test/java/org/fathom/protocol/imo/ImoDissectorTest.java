package org.fathom.protocol.imo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.fill;
import static org.fathom.protocol.samples.Hex.hex;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** IMO: the direct and the relayed call of the corpus capture imo.pcap. */
class ImoDissectorTest {
    // direct call (192.168.12.169:49207 <-> 93.33.47.58:57604): the opening datagrams in order
    static final byte[] ONE_C = hex("07");
    static final byte[] ONE_S = hex("76");
    static final byte[] MEDIA_S = cat(hex("6a0d00009a1b39d661aa1b2a0f7b7f66c2d9ce79ba3fe5688d2e189b6f3a6e40"), fill(75, 0x29));
    static final byte[] PING = hex("0902dc9a020000000000");
    static final byte[] PONG = hex("0903dc9a020000000000");
    // relayed call (to 185.155.137.30:36535): client runs of messages, the relay's zero-prefixed pong
    static final byte[] RUN_C = cat(hex("81340d0001bc62f268536a0a4ac1e0a12beed2a6dd066644"), fill(158, 0x44));
    static final byte[] RELAY_PONG = hex("000903219a020000000000");

    private static boolean recognised(Msg... m) {
        return Drive.run(new ImoDissector(), new TestFlow(17, 49207, 57604), List.of(m)).recognised();
    }

    @Test
    void framedDatagramsWithAPingAreImo() {
        assertThat(MEDIA_S).hasSize(107);
        assertThat(RUN_C).hasSize(182);
        assertThat(ImoDissector.framed(RUN_C, 0, RUN_C.length)).isTrue();
        assertThat(recognised(Msg.c(ONE_C), Msg.s(ONE_S), Msg.s(MEDIA_S), Msg.c(PING))).isTrue();
        assertThat(recognised(Msg.c(RUN_C), Msg.s(RELAY_PONG))).isTrue();
        assertThat(recognised(Msg.c(PING), Msg.s(PONG))).isTrue();
    }

    @Test
    void withoutAPingOneSidedOrUnframedIsNot() {
        assertThat(recognised(Msg.c(ONE_C), Msg.s(ONE_S), Msg.s(MEDIA_S), Msg.c(RUN_C))).isFalse();
        assertThat(recognised(Msg.c(PING), Msg.c(PING))).isFalse();
        byte[] longer = cat(MEDIA_S, hex("00"));
        assertThat(recognised(Msg.s(longer), Msg.c(PING))).isFalse();
        assertThat(recognised(Msg.c(hex("0902dc9a0200000000")), Msg.s(PONG))).isFalse();
        assertThat(ImoDissector.framed(hex("00"), 0, 1)).isFalse();
        assertThat(ImoDissector.framed(hex("8080800100"), 0, 5)).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"IMO".equals(s.expect())) {
                    assertThat(Drive.run(new ImoDissector(), s.flowOn(57604), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new ImoDissector(), 57604, 10, PING, PONG, MEDIA_S, RUN_C, RELAY_PONG)).isPositive();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 400) byte[]> datagrams, @ForAll List<Boolean> sides) {
        ImoDissector d = new ImoDissector();
        TestFlow f = new TestFlow(17, 50000, 57604);
        for (int i = 0; i < datagrams.size(); i++) {
            byte[] b = datagrams.get(i);
            if (b.length == 0) {
                continue;
            }
            int r = d.inspect(f, i >= sides.size() || sides.get(i), b, 0, b.length);
            assertThat(r).isBetween(Dissector.NO, Dissector.DONE);
            if (r == Dissector.NO || r == Dissector.DONE) {
                break;
            }
        }
    }
}
