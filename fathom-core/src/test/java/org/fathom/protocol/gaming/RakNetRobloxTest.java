package org.fathom.protocol.gaming;

import static org.assertj.core.api.Assertions.assertThat;
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

/** Roblox's RakNet offline messages, bytes of the corpus capture roblox.pcapng (frames to 128.116.0.0/16). */
class RakNetRobloxTest {
    private static final byte[] MAGIC = hex("00FFFF00FEFEFEFEFDFDFDFD12345678");
    /** Frame 1 of the flow to 128.116.89.113:63862: id 0x7B, magic, protocol 5, zero padding. */
    private static final byte[] DIRECT = cat(hex("7B"), MAGIC, hex("05"), new byte[40]);
    /** Frame 48, flow to 128.116.44.33:53385: a 31-byte header, then the same message. */
    private static final byte[] PREFIXED = cat(hex("0100001f011101a3022e4b808da3c9e85a9525d3b8fdad02060a090090d089"), hex("7B"), MAGIC,
            hex("05"), new byte[40]);

    private static Drive.Outcome run(byte[] b) {
        return Drive.run(new RakNetDissector(), new TestFlow(17, 45693, 53385), List.of(Msg.c(b)));
    }

    @Test
    void robloxOfflineMessagesAreRakNet() {
        for (byte[] b : List.of(DIRECT, PREFIXED)) {
            Drive.Outcome o = run(b);
            assertThat(o.protocol()).isEqualTo("RakNet");
            assertThat(o.meta()).containsEntry("raknet.message", "offline_message");
        }
    }

    @Test
    void theMagicElsewhereOrDamagedIsNot() {
        byte[] off = cat(hex("7B00"), MAGIC, new byte[40]);
        assertThat(run(off).recognised()).isFalse();
        byte[] damaged = PREFIXED.clone();
        damaged[40] ^= 1;
        assertThat(run(damaged).recognised()).isFalse();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (Sample s : Samples.foreign()) {
            assertThat(Drive.run(new RakNetDissector(), s.flowOn(19132), s.msgs()).recognised()).as(s.label()).isFalse();
        }
        for (Sample s : Samples.all()) {
            if (!s.expect().equals("RakNet")) {
                assertThat(Drive.run(new RakNetDissector(), s.flowOn(19132), s.msgs()).recognised()).as(s.label()).isFalse();
            }
        }
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 80) byte[] b) {
        if (b.length > 0) {
            assertThat(new RakNetDissector().inspect(new TestFlow(17, 1, 2), true, b, 0, b.length)).isBetween(Dissector.NO, Dissector.DONE);
        }
    }
}
