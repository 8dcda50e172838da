package org.fathom.protocol.smb;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.events.SmbSplitPointTest;
import org.fathom.protocol.testing.TestFlow;

/** The SMB1 events path on hostile messages: never throws, every event bounded, the flow stays SMBv1. */
class Smb1EventsProperties {
    @Property(tries = 2000)
    void hostileMessagesNeverThrow(@ForAll @Size(max = 200) byte[] body, @ForAll @IntRange(min = 0, max = 3) int which,
            @ForAll byte command, @ForAll byte flags) {
        int[] commands = {0x72, 0x73, 0x75, command & 0xFF};
        byte[] m = new byte[4 + 32 + body.length];
        m[3] = (byte) (32 + body.length);
        m[2] = (byte) ((32 + body.length) >> 8);
        m[4] = (byte) 0xFF;
        m[5] = 'S';
        m[6] = 'M';
        m[7] = 'B';
        m[8] = (byte) commands[which];
        m[13] = flags;
        m[15] = (byte) 0xC8;
        System.arraycopy(body, 0, m, 36, body.length);
        TestFlow f = TestFlow.tcp(new SmbDissector(), 445);
        f.transactions = true;
        f.feed(true, m);
        f.feed(false, m);
        f.end();
        assertThat(f.events.size()).isLessThanOrEqualTo(2 * Smb1Events.MAX_CHAIN);
        assertThat(f.events).allSatisfy(e -> assertThat(e.length()).isLessThan(4000));
    }

    @Property(tries = 500)
    void aRealExchangeWithNoiseNeverThrows(@ForAll @Size(max = 12) byte[] noise, @ForAll @IntRange(min = 0, max = 3) int which,
            @ForAll int seed) {
        byte[] m = SmbSplitPointTest.smb1Message(which);
        java.util.Random r = new java.util.Random(seed);
        for (byte x : noise) {
            m[4 + r.nextInt(m.length - 4)] = x;
        }
        TestFlow f = TestFlow.tcp(new SmbDissector(), 445);
        f.transactions = true;
        f.feed(true, SmbSplitPointTest.smb1Message(which == 1 ? 0 : 2));
        f.feed(which % 2 == 0, m);
        f.end();
    }
}
