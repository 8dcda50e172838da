package org.fathom.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The systematic counterpart of {@link DecoderFuzzTest}: every seed frame with each of its header
 * bytes set to the values that break length and type fields (0, FF, 80, +1, -1, ^FF), and cut at
 * every length. Random mutation rarely hits the one length byte that matters; this hits them all.
 */
class ByteSweepTest {
    static final int HEADER_BYTES = 160;

    static Stream<SeedFrames.Seed> seeds() {
        return SeedFrames.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void everyHeaderByteSetToBoundaryValues(SeedFrames.Seed seed) {
        TwinDecoder twin = new TwinDecoder();
        byte[] f = seed.bytes().clone();
        for (int i = 0; i < Math.min(f.length, HEADER_BYTES); i++) {
            byte original = f[i];
            for (int v : new int[] {0x00, 0xFF, 0x80, original + 1, original - 1, ~original}) {
                f[i] = (byte) v;
                twin.decode(f, seed.linkType(), 0);
            }
            f[i] = original;
        }
        assertThat(f).isEqualTo(seed.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void everyTruncation(SeedFrames.Seed seed) {
        TwinDecoder twin = new TwinDecoder();
        for (int len = 0; len <= seed.bytes().length; len++) {
            twin.decode(Arrays.copyOf(seed.bytes(), len), seed.linkType(), 0);
        }
    }
}
