package org.fathom.protocol.zug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.fill;
import static org.fathom.protocol.samples.Hex.hex;
import static org.fathom.protocol.samples.Hex.u16;

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

/** ZUG: the datagrams of the corpus capture zug.pcap (122 bytes, and the 410-byte one nDPI leaves Unknown). */
class ZugDissectorTest {
    /** The opening of the first datagram of zug.pcap; the rest is its signed body (not reproduced). */
    private static final byte[] HEAD = hex("007a554710aea041006ebc2a68b26e7743938878727cb2851556c2bc2aed5067be1798104af6e95e66f8a8");

    private static boolean recognised(byte[] datagram) {
        return Drive.run(new ZugDissector(), new TestFlow(17, 39594, 19000), List.of(Msg.c(datagram))).recognised();
    }

    private static byte[] datagram(int len) {
        byte[] d = cat(HEAD, fill(len - HEAD.length, 0x5c));
        d[0] = (byte) (len >> 8);
        d[1] = (byte) len;
        return d;
    }

    @Test
    void lengthThenUgAndVersionIsZug() {
        assertThat(recognised(datagram(122))).isTrue();
        assertThat(recognised(datagram(410))).isTrue();
        assertThat(Drive.run(new ZugDissector(), new TestFlow(17, 19000, 48793), List.of(Msg.s(datagram(410)))).recognised()).isTrue();
    }

    @Test
    void aLengthThatDisagreesOrAnotherMarkerIsNot() {
        byte[] d = datagram(122);
        d[1]++;
        assertThat(recognised(d)).isFalse();
        byte[] v = datagram(122);
        v[4] = 0x11;
        assertThat(recognised(v)).isFalse();
        assertThat(recognised(cat(u16(5), hex("554710")))).isFalse(); // header alone
        assertThat(Drive.run(new ZugDissector(), new TestFlow(6, 39594, 19000), List.of(Msg.c(datagram(122)))).recognised()).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"ZUG".equals(s.expect())) {
                    assertThat(Drive.run(new ZugDissector(), s.flowOn(19000), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new ZugDissector(), 19000, 5, datagram(122))).isPositive();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 400) byte[]> datagrams, @ForAll List<Boolean> sides) {
        ZugDissector d = new ZugDissector();
        TestFlow f = new TestFlow(17, 50000, 19000);
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
