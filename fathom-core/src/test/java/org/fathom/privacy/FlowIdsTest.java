package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FlowIdsTest {
    /** A plain SipHash-2-4 over any bytes, checked below against the reference vector of the paper. */
    static long reference(long k0, long k1, byte[] m) {
        long v0 = k0 ^ 0x736f6d6570736575L, v1 = k1 ^ 0x646f72616e646f6dL, v2 = k0 ^ 0x6c7967656e657261L, v3 = k1 ^ 0x7465646279746573L;
        int blocks = m.length / 8;
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        long[] words = new long[blocks + 1];
        for (int i = 0; i < blocks; i++) {
            words[i] = b.getLong(i * 8);
        }
        long last = (long) (m.length & 0xFF) << 56;
        for (int i = blocks * 8; i < m.length; i++) {
            last |= (m[i] & 0xFFL) << (8 * (i - blocks * 8));
        }
        words[blocks] = last;
        for (long w : words) {
            v3 ^= w;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= w;
        }
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    static final long K0 = 0x0706050403020100L;
    static final long K1 = 0x0f0e0d0c0b0a0908L;

    @Test
    void referenceImplementationGivesThePapersVector() {
        byte[] m = new byte[15];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) i;
        }
        assertThat(reference(K0, K1, m)).isEqualTo(0xa129ca6149be45e5L);   // SipHash paper, appendix A
    }

    @Test
    void flowIdsAreSipHashOfTheFlowKey() {
        FlowIds ids = FlowIds.withKey(K0, K1);
        long aHi = 0, aLo = 0xFFFF_0A00_0001L, bHi = 0, bLo = 0xFFFF_C000_0207L;
        long first = 1_800_000_000_123_456_000L;
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(aHi).putLong(aLo).putLong(bHi).putLong(bLo)
                .putLong(40000L | 443L << 16 | 6L << 32 | 100L << 40).putLong(first / 1000);   // microseconds
        String expected = String.format("%016x", reference(K0, K1, b.array()));
        assertThat(ids.of(6, aHi, aLo, 40000, bHi, bLo, 443, 100, first)).isEqualTo(expected);
        // either direction, the same id; anything else of the flow changes it
        assertThat(ids.of(6, bHi, bLo, 443, aHi, aLo, 40000, 100, first)).isEqualTo(expected);
        assertThat(ids.of(6, aHi, aLo, 40000, bHi, bLo, 443, 100, first + 1000)).isNotEqualTo(expected);
        assertThat(ids.of(6, aHi, aLo, 40000, bHi, bLo, 443, 100, first + 999)).isEqualTo(expected);   // below the records' precision
        assertThat(ids.of(17, aHi, aLo, 40000, bHi, bLo, 443, 100, first)).isNotEqualTo(expected);
        assertThat(FlowIds.withKey(K0 + 1, K1).of(6, aHi, aLo, 40000, bHi, bLo, 443, 100, first)).isNotEqualTo(expected);
    }
}
