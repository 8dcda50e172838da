package org.fathom.protocol.lolwildrift;

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

/** LoLWildRift: the probe datagram and the handshake of the corpus capture lol_wild_rift_udp.pcap. */
class LoLWildRiftDissectorTest {
    /** UDP 41440 -> 18001, whole. */
    static final byte[] PROBE = hex("0102c8410000000100010000001e0004000441304231");
    /** UDP 43686 -> 15007: the opening of the 69-byte request and of the 359-byte answer (bodies encrypted). */
    static final byte[] REQUEST = cat(hex("040000002113e1d5fce112be33116bd11019c8bc08ac0e33"), fill(45, 0x6d));
    static final byte[] ANSWER = cat(hex("100000002398297dcdb4b1653d8b84aff490bb34600c1e0f"), fill(335, 0x3b));

    private static boolean recognised(Msg... m) {
        return Drive.run(new LoLWildRiftDissector(), new TestFlow(17, 43686, 15007), List.of(m)).recognised();
    }

    @Test
    void probeAloneAndAnsweredHandshakeAreLoLWildRift() {
        assertThat(REQUEST).hasSize(69);
        assertThat(ANSWER).hasSize(359);
        assertThat(recognised(Msg.c(PROBE))).isTrue();
        assertThat(recognised(Msg.c(REQUEST), Msg.s(ANSWER))).isTrue();
    }

    @Test
    void halfAHandshakeOrOtherSizesAreNot() {
        assertThat(recognised(Msg.c(REQUEST))).isFalse();
        assertThat(recognised(Msg.s(ANSWER))).isFalse();
        assertThat(recognised(Msg.c(REQUEST), Msg.s(cat(ANSWER, hex("00"))))).isFalse();
        assertThat(recognised(Msg.c(cat(REQUEST, hex("00"))), Msg.s(ANSWER))).isFalse();
        byte[] probe = PROBE.clone();
        probe[21] = '2';
        assertThat(recognised(Msg.c(probe))).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"LoLWildRift".equals(s.expect())) {
                    assertThat(Drive.run(new LoLWildRiftDissector(), s.flowOn(15007), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new LoLWildRiftDissector(), 15007, 8, PROBE, REQUEST, ANSWER)).isPositive();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 400) byte[]> datagrams, @ForAll List<Boolean> sides) {
        LoLWildRiftDissector d = new LoLWildRiftDissector();
        TestFlow f = new TestFlow(17, 50000, 15007);
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
