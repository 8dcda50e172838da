package org.fathom.security;

/**
 * The capture second of a timestamp ({@code Math.floorDiv(ts, 1 s)}) and where in it the
 * timestamp falls, without a long division while timestamps stay in one second: per-packet code
 * runs C1-compiled, where a long division is a runtime call. One per detector, one per alert.
 */
final class CaptureSecond {
    static final long SEC = 1_000_000_000L;

    private long start = Long.MAX_VALUE;
    private long value;

    /** The second of {@code ts}; afterwards {@link #start()} is that second's first nanosecond. */
    long of(long ts) {
        long d = ts - start;
        if (d >= 0 && d < SEC) {
            return value;
        }
        value = Math.floorDiv(ts, SEC);
        start = value * SEC;
        return value;
    }

    /** The first nanosecond of the second last returned by {@link #of}. */
    long start() {
        return start;
    }
}
