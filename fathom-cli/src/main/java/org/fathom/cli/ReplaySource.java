package org.fathom.cli;

import org.fathom.capture.Packet;
import org.fathom.capture.ForwardingSource;
import org.fathom.capture.PacketSource;

/**
 * A capture file played at its own pace ({@code fathom live -r FILE --replay}): each frame is
 * handed on when as much wall time has passed since the first as capture time did, for demos and
 * tests of the live path without privileges. Timestamps stay the file's, so the records are those
 * of {@code analyze}; while waiting for a frame the source says {@link #IDLE} every poll interval
 * with the file's clock moved on by the wall time waited, as a live link's quiet time would.
 * {@link #stop} ends it like a live source.
 */
final class ReplaySource extends ForwardingSource {
    private static final long POLL_NANOS = 100_000_000L;

    private volatile boolean stopRequested;
    private long firstCapture = Long.MIN_VALUE;
    private long firstWall;
    // a frame read but not yet due: it sits in the caller's packet, which IDLE leaves alone but its clock
    private Packet pending;
    private long pendingTimestamp;

    ReplaySource(PacketSource file) {
        super(file);
    }

    void stop() {
        stopRequested = true;
    }

    @Override
    public int read(Packet p) {
        if (pending != p) {
            pending = null;
            int r = source.read(p);
            if (r != PACKET) {
                return r;
            }
            if (firstCapture == Long.MIN_VALUE) {
                firstCapture = p.timestampNanos;
                firstWall = System.nanoTime();
            }
            pending = p;
            pendingTimestamp = p.timestampNanos;
        }
        long due = firstWall + Math.max(0, pendingTimestamp - firstCapture);
        while (true) {
            if (stopRequested) {
                pending = null;
                return END;
            }
            long wait = due - System.nanoTime();
            if (wait <= 0) {
                pending = null;
                p.timestampNanos = pendingTimestamp;
                return PACKET;
            }
            if (wait > POLL_NANOS) {
                sleep(POLL_NANOS);
                p.timestampNanos = firstCapture + (System.nanoTime() - firstWall);   // the file's clock, moved on
                return IDLE;
            }
            sleep(wait);
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String format() {
        return source.format() + ", replayed";
    }
}
