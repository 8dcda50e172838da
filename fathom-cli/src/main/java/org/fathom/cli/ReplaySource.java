package org.fathom.cli;

import java.util.List;
import org.fathom.capture.CaptureWarning;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;

/**
 * A capture file played at its own pace ({@code fathom live -r FILE --replay}): each frame is
 * handed on when as much wall time has passed since the first as capture time did, for demos and
 * tests of the live path without privileges. Timestamps stay the file's, so the records are those
 * of {@code analyze}; while waiting for a frame the source says {@link #IDLE} every poll interval
 * with the file's clock moved on by the wall time waited, as a live link's quiet time would.
 * {@link #stop} ends it like a live source.
 */
final class ReplaySource implements PacketSource {
    private static final long POLL_NANOS = 100_000_000L;

    private final PacketSource file;
    private volatile boolean stopRequested;
    private long firstCapture = Long.MIN_VALUE;
    private long firstWall;
    // a frame read but not yet due: it sits in the caller's packet, which IDLE leaves alone but its clock
    private Packet pending;
    private long pendingTimestamp;

    ReplaySource(PacketSource file) {
        this.file = file;
    }

    void stop() {
        stopRequested = true;
    }

    @Override
    public int read(Packet p) {
        if (pending != p) {
            pending = null;
            int r = file.read(p);
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
    public void copyPrefixOnly(int bytesPerFrame) {
        file.copyPrefixOnly(bytesPerFrame);
    }

    @Override
    public void complete(Packet packet) {
        file.complete(packet);
    }

    @Override
    public void copyFrame(Packet read, byte[] dst, int at) {
        file.copyFrame(read, dst, at);
    }

    @Override
    public String name() {
        return file.name();
    }

    @Override
    public String format() {
        return file.format() + ", replayed";
    }

    @Override
    public long position() {
        return file.position();
    }

    @Override
    public long size() {
        return file.size();
    }

    @Override
    public List<CaptureWarning> warnings() {
        return file.warnings();
    }

    @Override
    public void close() {
        file.close();
    }
}
