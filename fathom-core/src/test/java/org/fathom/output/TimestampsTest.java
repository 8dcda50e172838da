package org.fathom.output;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void examplesAndBoundaries() {
        assertThat(Timestamps.iso(0)).isEqualTo("1970-01-01T00:00:00.000000Z");
        assertThat(Timestamps.iso(-1)).isEqualTo("1969-12-31T23:59:59.999999Z");
        assertThat(Timestamps.iso(1_727_784_000_123_456_789L)).isEqualTo("2024-10-01T12:00:00.123456Z");
        assertThat(Timestamps.iso(951_782_400_000_000_000L)).isEqualTo("2000-02-29T00:00:00.000000Z");   // leap day of a 400-year
        long[] edges = {
            Timestamps.MIN_DAY * 86_400L * 1_000_000_000L, Timestamps.MIN_DAY * 86_400L * 1_000_000_000L - 1,
            (Timestamps.MAX_DAY + 1) * 86_400L * 1_000_000_000L - 1, (Timestamps.MAX_DAY + 1) * 86_400L * 1_000_000_000L,
            Long.MIN_VALUE, Long.MAX_VALUE, 4_102_444_800_000_000_000L /* 2100-01-01, not a leap year */,
            4_294_967_295_000_000_000L /* the last second of a 32-bit pcap */,
        };
        for (long t : edges) {
            assertThat(Timestamps.iso(t)).as("%d", t).isEqualTo(Timestamps.viaFormatter(t));
        }
    }

    @Property(tries = 20_000)
    void equalsTheFormatterOverTheFullRange(@ForAll long t) {
        assertThat(Timestamps.iso(t)).isEqualTo(Timestamps.viaFormatter(t));
    }

    @Property(tries = 20_000)
    void equalsTheFormatterOnCaptureTimes(@ForAll @LongRange(min = -100L * 365 * 86_400 * 1_000_000_000, max = 5_000_000_000L * 1_000_000_000) long t) {
        assertThat(Timestamps.iso(t)).isEqualTo(Timestamps.viaFormatter(t));
    }
}
