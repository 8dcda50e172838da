package org.fathom.inline;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.decode.DecodedPacket;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
    static DecodedPacket flow(int srcPort) {
        DecodedPacket d = new DecodedPacket();
        d.srcHi = 0;
        d.srcLo = 0x0000_ffff_0a00_0001L;
        d.dstLo = 0x0000_ffff_0a00_0002L;
        d.srcPort = srcPort;
        d.dstPort = 80;
        d.l4 = 6;
        return d;
    }

    @Test
    void aFlowOfferedTwiceItsRateGetsItsRate() {
        TokenBuckets b = new TokenBuckets(64);
        DecodedPacket d = flow(40000);
        long rate = 2_000_000;
        long passed = 0;
        long t = 0;
        // 10 s of 1000-byte packets every 2 ms: 4 Mbit/s offered
        for (int i = 0; i < 5000; i++) {
            t += 2_000_000;
            if (b.take(d, 1000, rate, t)) {
                passed += 1000;
            }
        }
        double got = (passed - TokenBuckets.burstBytes(rate)) * 8 / 10.0;
        assertThat(got).isBetween(rate * 0.98, rate * 1.02);
    }

    @Test
    void flowsHaveTheirOwnBucketsAndTheTableIsBounded() {
        TokenBuckets b = new TokenBuckets(16);
        for (int i = 0; i < 1000; i++) {
            assertThat(b.take(flow(i), 1000, 1_000_000, i)).isTrue();   // a new bucket starts full
        }
        assertThat(b.size()).isLessThanOrEqualTo(b.capacity());
        assertThat(b.evictions()).isPositive();
        // one flow drains its own bucket only
        DecodedPacket d = flow(5);
        int passed = 0;
        for (int i = 0; i < 100; i++) {
            passed += b.take(d, 1000, 1_000_000, 2000) ? 1 : 0;
        }
        assertThat(passed).isEqualTo((int) (TokenBuckets.burstBytes(1_000_000) / 1000));
        assertThat(b.take(flow(6), 1000, 1_000_000, 2000)).isTrue();
    }

    @Test
    void theHighestRateDoesNotOverflow() {
        TokenBuckets b = new TokenBuckets(16);
        DecodedPacket d = flow(1);
        assertThat(b.take(d, 1500, TokenBuckets.MAX_RATE, 0)).isTrue();
        assertThat(b.take(d, 1500, TokenBuckets.MAX_RATE, 3_600_000_000_000L)).isTrue();
        assertThat(b.take(d, 1500, 8_000, 7_200_000_000_000L)).isTrue();
    }
}
