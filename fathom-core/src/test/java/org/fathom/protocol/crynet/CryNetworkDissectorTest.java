package org.fathom.protocol.crynet;

import static org.assertj.core.api.Assertions.assertThat;
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

/** CryNetwork: the client openings of the corpus capture crynet.pcap (two forms of bytes 3-4). */
class CryNetworkDissectorTest {
    private static final byte[] OPENING = hex("3c000008ed000000000000000000000001000000070000000307000000040000000000000004"
            + "476623c462127df0492fd79ac9341d3bd07b18023b5e948392eff15a19370dc4");

    private static boolean recognised(Msg... m) {
        return Drive.run(new CryNetworkDissector(), new TestFlow(17, 61837, 25383), List.of(m)).recognised();
    }

    @Test
    void clientOpeningIsCryNetwork() {
        assertThat(OPENING).hasSize(70);
        assertThat(recognised(Msg.c(OPENING))).isTrue();
        byte[] other = OPENING.clone();
        other[3] = 0x0b;
        other[4] = (byte) 0xf6; // the other servers of the capture
        assertThat(recognised(Msg.c(other))).isTrue();
    }

    @Test
    void anyBrokenFieldOrTheServerSideIsNot() {
        for (int at : new int[] {0, 1, 5, 15, 16, 19, 20, 24, 25}) {
            byte[] b = OPENING.clone();
            b[at] ^= 0x40;
            assertThat(recognised(Msg.c(b))).as("byte " + at).isFalse();
        }
        assertThat(recognised(Msg.s(OPENING))).isFalse();
        assertThat(recognised(Msg.c(java.util.Arrays.copyOf(OPENING, 69)))).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"CryNetwork".equals(s.expect())) {
                    assertThat(Drive.run(new CryNetworkDissector(), s.flowOn(25383), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new CryNetworkDissector(), 25383, 6, OPENING)).isPositive();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 400) byte[]> datagrams, @ForAll List<Boolean> sides) {
        CryNetworkDissector d = new CryNetworkDissector();
        TestFlow f = new TestFlow(17, 50000, 25383);
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
