package org.fathom.output;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * When continuous output files are finished and a new one begun ({@code --rotate},
 * {@code --rotate-size}): after a period of wall-clock time, aligned to multiples of the period
 * since 1970 UTC (1h files start on the hour, 15m files at :00, :15, ...), and/or when a file has
 * reached a size. Shared by every {@link RotatingSink} of a run: one timer thread, once a second,
 * finishes files whose period is over even when no record arrives (a quiet link, a rare alert), so
 * a collector gets them on time.
 */
public final class Rotation implements AutoCloseable {
    /** How often the timer looks for files whose period is over. */
    static final long TICK_MILLIS = 1000;

    private final long periodMillis;
    private final long maxBytes;
    private final LongSupplier clock;
    private final List<RotatingSink> sinks = new CopyOnWriteArrayList<>();
    private Thread timer;

    /**
     * @param periodMillis a file's period of wall-clock time, 0 for none
     * @param maxBytes     a file is finished at the first record boundary at or past this size, 0 for none
     * @param clock        wall-clock time in epoch milliseconds (tests pass their own)
     */
    public Rotation(long periodMillis, long maxBytes, LongSupplier clock) {
        if (periodMillis < 0 || maxBytes < 0 || periodMillis == 0 && maxBytes == 0) {
            throw new IllegalArgumentException("a rotation needs a period or a size");
        }
        this.periodMillis = periodMillis;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    public Rotation(long periodMillis, long maxBytes) {
        this(periodMillis, maxBytes, System::currentTimeMillis);
    }

    public long periodMillis() {
        return periodMillis;
    }

    public long maxBytes() {
        return maxBytes;
    }

    long now() {
        return clock.getAsLong();
    }

    /** The start of the period that holds {@code millis} (the time itself without a period). */
    long periodStart(long millis) {
        return periodMillis == 0 ? millis : Math.floorDiv(millis, periodMillis) * periodMillis;
    }

    /** Starts the timer (with a period) for a sink; its {@link RotatingSink#tick} runs once a second. */
    synchronized void register(RotatingSink s) {
        sinks.add(s);
        if (periodMillis > 0 && timer == null) {
            timer = Thread.ofPlatform().daemon().name("fathom-rotation").start(this::run);
        }
    }

    /** A sink closed; with the last one, the timer stops (a later sink starts it again). */
    synchronized void unregister(RotatingSink s) {
        sinks.remove(s);
        if (sinks.isEmpty()) {
            close();
        }
    }

    /** Finishes every registered sink's file whose period is over (the timer calls it; tests may too). */
    public void tick() {
        for (RotatingSink s : sinks) {
            s.tick();
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            tick();
        }
    }

    /** Stops the timer; the sinks finish their files when they are closed. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.interrupt();
            timer = null;
        }
    }

    /** Used by sinks for a failure on the timer's thread, thrown at the next record or close. */
    static IOException carried(IOException e) {
        return new IOException(e.getMessage(), e);
    }
}
