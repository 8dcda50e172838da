package org.fathom.inline;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * DSCP rewrite on random IPv4 headers (with options) and IPv6 headers: the checksum is valid after
 * the rewrite, only the six DSCP bits change, the ECN bits are kept, and the incremental update
 * equals a full recomputation.
 */
class DscpProperties {
    @Provide
    Arbitrary<byte[]> ipv4() {
        Arbitrary<Integer> ihl = Arbitraries.integers().between(5, 15);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofSize(60 + 40);
        Arbitrary<Integer> extra = Arbitraries.integers().between(0, 40);
        return Combinators.combine(ihl, bytes, extra).as((h, b, e) -> {
            int len = h * 4 + e;
            byte[] p = java.util.Arrays.copyOf(b, len);
            p[0] = (byte) (0x40 | h);
            p[10] = 0;
            p[11] = 0;
            int c = Dscp.checksum(p, 0, h * 4);
            p[10] = (byte) (c >>> 8);
            p[11] = (byte) c;
            return p;
        });
    }

    @Provide
    Arbitrary<byte[]> ipv6() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(40).ofMaxSize(80).map(b -> {
            b[0] = (byte) (0x60 | (b[0] & 0x0f));
            return b;
        });
    }

    @Property
    void ipv4ChecksumStaysValidAndOnlyDscpChanges(@ForAll("ipv4") byte[] p, @ForAll @IntRange(min = 0, max = 63) int dscp) {
        byte[] before = p.clone();
        assertThat(Dscp.ipv4ChecksumValid(p, 0)).isTrue();
        int r = Dscp.set(p, 0, p.length, dscp);
        assertThat(r).isEqualTo((before[1] & 0xff) >>> 2 == dscp ? Dscp.UNCHANGED : Dscp.CHANGED);
        assertThat(Dscp.ipv4ChecksumValid(p, 0)).isTrue();
        assertThat(Dscp.get(p, 0, p.length)).isEqualTo(dscp);
        assertThat(p[1] & 0x03).as("ECN kept").isEqualTo(before[1] & 0x03);
        for (int i = 0; i < p.length; i++) {
            if (i != 1 && i != 10 && i != 11) {
                assertThat(p[i]).as("byte %d", i).isEqualTo(before[i]);
            }
        }
        // the incremental update is what a full recomputation gives
        byte[] full = p.clone();
        full[10] = 0;
        full[11] = 0;
        int c = Dscp.checksum(full, 0, (p[0] & 0x0f) * 4);
        assertThat(((p[10] & 0xff) << 8 | (p[11] & 0xff))).isEqualTo(c == 0 ? 0 : c);
    }

    @Property
    void ipv6OnlyTheDscpBitsOfTheTrafficClassChange(@ForAll("ipv6") byte[] p, @ForAll @IntRange(min = 0, max = 63) int dscp) {
        byte[] before = p.clone();
        Dscp.set(p, 0, p.length, dscp);
        assertThat(Dscp.get(p, 0, p.length)).isEqualTo(dscp);
        assertThat(p[0] & 0xf0).as("version").isEqualTo(0x60);
        int tcBefore = (before[0] & 0x0f) << 4 | (before[1] & 0xff) >>> 4;
        int tcAfter = (p[0] & 0x0f) << 4 | (p[1] & 0xff) >>> 4;
        assertThat(tcAfter & 3).as("ECN kept").isEqualTo(tcBefore & 3);
        assertThat(p[1] & 0x0f).as("flow label bits").isEqualTo(before[1] & 0x0f);
        for (int i = 2; i < p.length; i++) {
            assertThat(p[i]).isEqualTo(before[i]);
        }
    }

    @Property
    void notIpIsLeftAlone(@ForAll byte[] p, @ForAll @IntRange(min = 0, max = 63) int dscp) {
        byte[] before = p.clone();
        int v = p.length == 0 ? 0 : (p[0] & 0xff) >>> 4;
        int r = Dscp.set(p, 0, p.length, dscp);
        if (v != 4 && v != 6) {
            assertThat(r).isEqualTo(Dscp.NOT_IP);
        }
        if (r == Dscp.NOT_IP) {
            assertThat(p).isEqualTo(before);
        }
    }
}
