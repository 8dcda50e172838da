package org.fathom.protocol.halflife2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.ascii;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.hex;
import static org.fathom.protocol.samples.Hex.u32le;
import static org.fathom.protocol.samples.Hex.zeros;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.gaming.SourceEngineDissector;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/**
 * HalfLife2: the Source engine's connect handshake as the Source SDK 2013 writes it
 * (CBaseClientState's challenge request, CBaseServer's challenge reply and connection
 * acceptance), and the fuzzer seed of the corpus that nDPI names HalfLife2.
 */
class HalfLife2DissectorTest {
    static final byte[] GET_CHALLENGE = cat(hex("FFFFFFFF 71 0BAD1DEA"), ascii("0000000000\0"));
    static final byte[] CHALLENGE = cat(hex("FFFFFFFF 41"), u32le(0x5A4F4933L), u32le(0x1234567L), hex("0BAD1DEA"), u32le(3),
            hex("0000"), zeros(8), hex("01"), ascii("000000\0"));
    static final byte[] CONNECTION = cat(hex("FFFFFFFF 42 0BAD1DEA"), ascii("0000000000\0"));
    /** ossfuzz_seed_fake_traces_1.pcapng, UDP 1 -> 2 and back. */
    static final byte[] SEED = hex("ffffffff00000000000000000000000030303000");

    private static boolean recognised(Msg... m) {
        return Drive.run(new HalfLife2Dissector(), new TestFlow(17, 27005, 27015), List.of(m)).recognised();
    }

    @Test
    void connectHandshakeMessagesAreHalfLife2() {
        assertThat(GET_CHALLENGE).hasSize(20);
        assertThat(recognised(Msg.c(GET_CHALLENGE))).isTrue();
        assertThat(recognised(Msg.s(CHALLENGE))).isTrue();
        assertThat(recognised(Msg.s(CONNECTION))).isTrue();
    }

    @Test
    void serverQueriesAndTheFuzzerSeedAreNot() {
        assertThat(recognised(Msg.c(SEED), Msg.s(SEED))).isFalse();
        // A2S_INFO and the short A2S challenge stay Source_Engine's
        byte[] info = cat(hex("FFFFFFFF 54"), ascii("Source Engine Query\0"));
        assertThat(recognised(Msg.c(info))).isFalse();
        assertThat(recognised(Msg.s(hex("FFFFFFFF 41 0A0B0C0D")))).isFalse();
        byte[] pad = GET_CHALLENGE.clone();
        pad[15] = '1';
        assertThat(recognised(Msg.c(pad))).isFalse();
        byte[] magic = CHALLENGE.clone();
        magic[5] = 'Z';
        assertThat(recognised(Msg.s(magic))).isFalse();
        assertThat(recognised(Msg.c(cat(GET_CHALLENGE, hex("00"))))).isFalse();
        // and Source_Engine does not take the handshake
        for (byte[] m : List.of(GET_CHALLENGE, CHALLENGE, CONNECTION)) {
            assertThat(Drive.run(new SourceEngineDissector(), new TestFlow(17, 27005, 27015), List.of(Msg.c(m))).recognised()).isFalse();
        }
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"HalfLife2".equals(s.expect())) {
                    assertThat(Drive.run(new HalfLife2Dissector(), s.flowOn(27015), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new HalfLife2Dissector(), 27015, 7, GET_CHALLENGE, CHALLENGE, CONNECTION)).isPositive();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 400) byte[]> datagrams, @ForAll List<Boolean> sides) {
        HalfLife2Dissector d = new HalfLife2Dissector();
        TestFlow f = new TestFlow(17, 50000, 27015);
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
