package org.fathom.protocol.kerberos;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The per-message reader of the events path on hostile bytes: it never throws and stays bounded. */
class KerberosMessageProperties {
    @Property(tries = 2000)
    void detailsNeverThrow(@ForAll @Size(max = 400) byte[] junk, @ForAll @IntRange(min = 0, max = 40) int tag) {
        int[] types = {10, 11, 12, 13, 30};
        if (junk.length > 0) {
            junk[0] = (byte) (0x60 + types[tag % 5]);
        }
        for (int t : types) {
            KerberosMessage.Details d = KerberosMessage.details(junk, 0, junk.length, t);
            if (d != null) {
                assertThat(d.etypes() == null ? 0 : d.etypes().size()).isLessThanOrEqualTo(16);
                assertThat(d.cname() == null ? 0 : d.cname().length()).isLessThanOrEqualTo(8 * 256);
            }
        }
    }

    /** A real message cut at every length: never throws. */
    @Property(tries = 300)
    void truncatedMessagesNeverThrow(@ForAll @IntRange(min = 0, max = 400) int cut, @ForAll @Size(min = 1, max = 8) byte[] noise) {
        byte[] m = org.fathom.protocol.events.KerberosSplitPointTest.asRepBytes();
        byte[] b = java.util.Arrays.copyOf(m, Math.min(cut, m.length));
        if (b.length > 20) {
            System.arraycopy(noise, 0, b, b.length / 2, Math.min(noise.length, b.length / 2));
        }
        KerberosMessage.details(b, 0, b.length, 11);
    }
}
