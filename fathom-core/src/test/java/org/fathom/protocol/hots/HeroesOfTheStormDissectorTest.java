package org.fathom.protocol.hots;

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

/** Heroes_of_the_Storm: datagrams of the corpus capture hots.pcapng (client 54598 -> 3724, servers on 3724 and 1119). */
class HeroesOfTheStormDissectorTest {
    static final byte[] CLIENT_1 = hex("e65d3400972714f73f95aae03e3640001abc63b32ac9fda5");
    static final byte[] CLIENT_2 = hex("e65d34002f9dbb1381e6d076796440001ac063bf");
    static final byte[] SERVER_1 = hex("00000000000000000000000000004000bcb64a77d8dde9c9e6be094ffa5330ea");
    static final byte[] SERVER_2 = hex("00000000000000000000000000004010bcc24a7b1d8e55c48c642bd841d3d26d");

    private static boolean recognised(int clientPort, int serverPort, Msg... m) {
        return Drive.run(new HeroesOfTheStormDissector(), new TestFlow(17, clientPort, serverPort), List.of(m)).recognised();
    }

    @Test
    void twoDatagramsOfOneFormOnABlizzardPortAreHots() {
        assertThat(recognised(54598, 3724, Msg.c(CLIENT_1), Msg.c(CLIENT_2))).isTrue();
        assertThat(recognised(54598, 3724, Msg.c(CLIENT_1), Msg.s(SERVER_1), Msg.s(SERVER_2))).isTrue();
        // the server sends first (the capture starts mid-call): its datagrams open the flow
        assertThat(recognised(1119, 50609, Msg.c(SERVER_1), Msg.c(SERVER_2))).isTrue();
    }

    @Test
    void oneDatagramAnotherPortOrMixedFormsAreNot() {
        assertThat(recognised(54598, 3724, Msg.c(CLIENT_1))).isFalse();
        assertThat(recognised(54598, 3725, Msg.c(CLIENT_1), Msg.c(CLIENT_2))).isFalse();
        byte[] other = CLIENT_2.clone();
        other[0] = 0x11; // another connection's opening
        assertThat(recognised(54598, 3724, Msg.c(CLIENT_1), Msg.c(other))).isFalse();
        byte[] flag = CLIENT_2.clone();
        flag[14] = 0x41;
        assertThat(recognised(54598, 3724, Msg.c(CLIENT_1), Msg.c(flag))).isFalse();
        assertThat(recognised(54598, 3724, Msg.c(CLIENT_1), Msg.c(SERVER_1))).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"Heroes_of_the_Storm".equals(s.expect())) {
                    assertThat(Drive.run(new HeroesOfTheStormDissector(), s.flowOn(3724), s.msgs()).recognised()).as(s.label()).isFalse();
                    assertThat(Drive.run(new HeroesOfTheStormDissector(), s.flowOn(1119), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new HeroesOfTheStormDissector(), 3724, 9, CLIENT_1, CLIENT_2, SERVER_1)).isPositive();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 400) byte[]> datagrams, @ForAll List<Boolean> sides) {
        HeroesOfTheStormDissector d = new HeroesOfTheStormDissector();
        TestFlow f = new TestFlow(17, 50000, 3724);
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
