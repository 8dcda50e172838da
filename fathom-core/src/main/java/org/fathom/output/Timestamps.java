package org.fathom.output;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Capture timestamps as ISO-8601 UTC with microseconds, e.g. {@code 2024-10-01T12:00:00.123456Z}.
 *
 * <p>Every record carries two or three of them, so they are written by hand (civil date from the
 * day number, Hinnant's algorithm) rather than through {@link DateTimeFormatter}, which took a
 * quarter of a JSON output thread's time. Years outside 0000–9999 (only a damaged capture has
 * them) go through the formatter, whose output the fast path equals everywhere (tested).
 */
public final class Timestamps {
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final long NANOS = 1_000_000_000L;
    /** Day numbers (days since 1970-01-01) of 0000-01-01 and 9999-12-31. */
    static final long MIN_DAY = -719_528, MAX_DAY = 2_932_896;

    private Timestamps() {}

    public static String iso(long epochNanos) {
        long sec = Math.floorDiv(epochNanos, NANOS);
        int nano = (int) Math.floorMod(epochNanos, NANOS);
        long day = Math.floorDiv(sec, 86_400L);
        if (day < MIN_DAY || day > MAX_DAY) {
            return viaFormatter(epochNanos);
        }
        int sod = (int) Math.floorMod(sec, 86_400L);
        // civil date of the day number (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int doe = (int) (z - era * 146_097);
        int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int d = doy - (153 * mp + 2) / 5 + 1;
        int m = mp < 10 ? mp + 3 : mp - 9;
        int y = (int) (yoe + era * 400) + (m <= 2 ? 1 : 0);
        byte[] b = new byte[27];
        digits(b, 0, y, 4);
        b[4] = '-';
        digits(b, 5, m, 2);
        b[7] = '-';
        digits(b, 8, d, 2);
        b[10] = 'T';
        digits(b, 11, sod / 3600, 2);
        b[13] = ':';
        digits(b, 14, sod / 60 % 60, 2);
        b[16] = ':';
        digits(b, 17, sod % 60, 2);
        b[19] = '.';
        digits(b, 20, nano / 1000, 6);
        b[26] = 'Z';
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The formatter's rendering, for any instant (also years it pads or signs). */
    static String viaFormatter(long epochNanos) {
        return ISO_MICROS.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS), Math.floorMod(epochNanos, NANOS)));
    }

    private static void digits(byte[] b, int at, int v, int n) {
        for (int i = at + n - 1; i >= at; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }
}
