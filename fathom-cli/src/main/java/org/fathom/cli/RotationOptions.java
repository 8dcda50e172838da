package org.fathom.cli;

import java.time.Duration;
import java.util.Locale;
import org.fathom.output.Rotation;
import org.fathom.privacy.PrivacyPolicy;
import picocli.CommandLine.Option;

/**
 * Rotation of the continuous output files ({@code --flows FILE}, {@code --flows-dir},
 * {@code --calls}, {@code --alerts}): {@code --rotate DURATION} and {@code --rotate-size SIZE}. A
 * mixin, so that each command adds it in one place. See docs/OPERATIONS.md ("Rotation").
 */
final class RotationOptions {
    @Option(names = "--rotate", paramLabel = "DURATION", description = "Finish the output files (--flows FILE, --flows-dir, --calls, --alerts, --verdicts) every DURATION of wall-clock time, aligned to the clock (1h: on the hour), e.g. 15m, 1h, 1d. Each file is written as NAME.jsonl.part and renamed to NAME.jsonl, named after its start: calls.jsonl gives calls-20261206T080000Z.jsonl, ... (see docs/OPERATIONS.md).")
    String rotate;

    @Option(names = "--rotate-size", paramLabel = "SIZE", description = "Also finish an output file once it holds SIZE bytes (at the next whole record), e.g. 100M, 1G; K, M, G are powers of 1024.")
    String rotateSize;

    /** The shortest period and the smallest size accepted. */
    static final long MIN_PERIOD_MILLIS = 1000;
    static final long MIN_SIZE = 1024;

    /** Whether rotation was asked for. */
    boolean enabled() {
        return rotate != null || rotateSize != null;
    }

    /**
     * The rotation asked for, or null without one.
     *
     * @throws UserError on a bad value
     */
    Rotation rotation() {
        if (!enabled()) {
            return null;
        }
        long period = 0;
        if (rotate != null) {
            Duration d;
            try {
                d = PrivacyPolicy.parseDuration(rotate);
            } catch (IllegalArgumentException e) {
                throw new UserError("--rotate: " + e.getMessage());
            }
            if (d.toMillis() < MIN_PERIOD_MILLIS) {
                throw new UserError("--rotate: at least 1s, not " + rotate);
            }
            period = d.toMillis();
        }
        long size = rotateSize == null ? 0 : parseSize(rotateSize);
        return new Rotation(period, size);
    }

    /** {@code 100M}, {@code 1G}, {@code 512K}, {@code 1048576}: bytes (K, M, G, T are powers of 1024; a trailing B is allowed). */
    static long parseSize(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> { }
            }
        }
        if (shift > 0) {
            t = t.substring(0, t.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(t.strip());
        } catch (NumberFormatException e) {
            throw new UserError("--rotate-size: bad size '" + s + "' (e.g. 100M, 1G)");
        }
        if (n < 1 || n > (Long.MAX_VALUE >> shift) || (n << shift) < MIN_SIZE) {
            throw new UserError("--rotate-size: from 1K, not " + s);
        }
        return n << shift;
    }
}
