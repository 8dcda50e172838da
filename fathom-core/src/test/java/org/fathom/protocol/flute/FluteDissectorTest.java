package org.fathom.protocol.flute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.ascii;
import static org.fathom.protocol.samples.Hex.cat;
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

/** FLUTE: the datagrams of the corpus capture flute.pcapng (to 238.1.1.95:40085). */
class FluteDissectorTest {
    /** LCT header of 8 words: C=0, H=1 (16-bit TSI and TOI), TOI 0, EXT_FDT (V=1, instance 2), EXT_FTI; FEC payload id; the FDT. */
    private static final byte[] FDT = cat(hex("10100800 00000000 0000 0000 c0100002 40040000 00000236 0000059c 00000040 00000000"),
            ascii("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FDT-Instance"));
    /** Object 1 ("Hello World!"), LCT header of 3 words, no extension. */
    private static final byte[] OBJECT = cat(hex("10100300 00000000 0000 0001 00000000"), ascii("Hello World!\n"));

    private static Drive.Outcome run(byte[]... datagrams) {
        return Drive.run(new FluteDissector(), new TestFlow(17, 40717, 40085),
                java.util.Arrays.stream(datagrams).map(Msg::c).toList());
    }

    @Test
    void fdtPacketIsFlute() {
        Drive.Outcome o = run(FDT);
        assertThat(o.protocol()).isEqualTo("FLUTE");
        assertThat(o.meta()).containsEntry("flute.fdt_instance", 2L);
    }

    @Test
    void objectPacketsAreWaitedThroughUntilTheFdt() {
        assertThat(run(OBJECT).recognised()).isFalse();
        assertThat(run(OBJECT, OBJECT, FDT).protocol()).isEqualTo("FLUTE");
    }

    @Test
    void brokenHeadersAreNot() {
        byte[] version = FDT.clone();
        version[0] = 0x20;
        assertThat(run(version).recognised()).isFalse();
        byte[] hdrLen = FDT.clone();
        hdrLen[2] = 7; // ends inside EXT_FTI
        assertThat(run(hdrLen).recognised()).isFalse();
        byte[] fdtVersion = FDT.clone();
        fdtVersion[13] = 0x30;
        assertThat(run(fdtVersion).recognised()).isFalse();
        byte[] noTsi = FDT.clone();
        noTsi[1] = 0;
        assertThat(run(noTsi).recognised()).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                assertThat(Drive.run(new FluteDissector(), s.flowOn(40085), s.msgs()).recognised()).as(s.label()).isFalse();
            }
        }
    }

    @Property(tries = 500)
    void neverThrows(@ForAll @Size(max = 4) List<@Size(max = 60) byte[]> chunks) {
        FluteDissector d = new FluteDissector();
        TestFlow f = new TestFlow(17, 1, 2);
        for (byte[] b : chunks) {
            if (b.length == 0) {
                continue;
            }
            if (b.length > 0) {
                b[0] = (byte) (0x10 | (b[0] & 0x0F)); // mostly version 1, to reach the extension walk
            }
            int r = d.inspect(f, true, b, 0, b.length);
            assertThat(r).isBetween(Dissector.NO, Dissector.DONE);
            if (r != Dissector.NEED_MORE) {
                break;
            }
        }
    }
}
