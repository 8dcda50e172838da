package org.fathom.output;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.Released;

/**
 * A sink behind its own bounded queue and thread, so that a slow consumer (a disk, later a broker)
 * holds up the privacy guard, and with it the workers, at most as long as its queue is full, and
 * with {@link Overflow#DROP} not at all.
 *
 * <ul>
 *   <li>Order: the wrapped sink gets the records in the order {@link #accept} got them, from one
 *       thread (this sink's); it is opened by the caller and closed on that thread.</li>
 *   <li>Full queue: {@link Overflow#BLOCK} makes {@link #accept} wait for room (back-pressure:
 *       nothing is lost); {@link Overflow#DROP} drops the record and counts it, so that
 *       {@code dropped = accepted - written} exactly. The privacy header is never dropped.</li>
 *   <li>Failure: when the wrapped sink throws, the error is kept, the records still queued are
 *       discarded, and every later {@link #accept}, {@link #flush} and {@link #close} throws a
 *       {@link SinkException} naming this sink, with the original error as its cause (an error
 *       that is not about I/O, a bug, as an {@link IllegalStateException}): a failed write stops
 *       the run instead of losing records silently.</li>
 *   <li>{@link #close}: waits until every queued record is written, closes the wrapped sink and
 *       throws its first failure, if any.</li>
 * </ul>
 * Nothing is allocated per record: the queue is a ring of references.
 */
public final class AsyncSink implements FlowSink {
    /** Default queue length per sink, in records. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Records the sink thread takes off the queue at once (one lock round trip per batch). */
    private static final int BATCH = 256;

    /** What {@link #accept} does when the queue is full. */
    public enum Overflow {
        /** Wait until the sink thread has made room: nothing is lost (the default for files). */
        BLOCK,
        /** Drop the record and count it: the caller never waits. */
        DROP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the valid values */
        public static Overflow parse(String s) {
            for (Overflow o : values()) {
                if (o.label().equalsIgnoreCase(s.strip())) {
                    return o;
                }
            }
            throw new IllegalArgumentException("'" + s + "' is not an overflow policy (valid: block, drop)");
        }
    }

    /**
     * Counters of one sink: records accepted (offered to the queue), written by the wrapped sink,
     * dropped on a full queue, the deepest the queue got, and how long and how often callers
     * waited for room. After a failure, {@code accepted - written - dropped} records were lost
     * with it.
     */
    public record Stats(String name, Overflow overflow, int capacity, long accepted, long written, long dropped,
                        int maxDepth, long waits, long waitedNanos) {
    }

    private final String name;
    private final FlowSink sink;
    private final Overflow overflow;
    private final Released<?>[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    /** Signalled when the queue is empty and the thread is not writing, or the thread has ended. */
    private final Condition idle = lock.newCondition();
    private final Thread thread;

    // guarded by lock
    private int head;
    private int count;
    private boolean busy;
    private boolean closing;
    private boolean done;
    private Throwable failure;
    private long accepted;
    private long written;
    private long dropped;
    private int maxDepth;
    private long waits;
    private long waitedNanos;

    /**
     * Starts the sink's thread.
     *
     * @param name     the output as a user knows it (a file name, "standard output"), for messages
     * @param sink     the sink to feed; from now on used by this sink's thread only
     * @param capacity queue length in records, at least 1
     */
    public AsyncSink(String name, FlowSink sink, int capacity, Overflow overflow) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, not " + capacity);
        }
        this.name = name;
        this.sink = sink;
        this.overflow = overflow;
        this.ring = new Released<?>[capacity];
        this.thread = Thread.ofPlatform().name("fathom-sink " + name).daemon(true).unstarted(this::drain);
        thread.start();
    }

    public String name() {
        return name;
    }

    /**
     * Queues the record for the sink's thread. With {@link Overflow#BLOCK} waits while the queue is
     * full; with {@link Overflow#DROP} drops the record instead (never the privacy header).
     *
     * @throws SinkException         when the sink has failed (now or earlier)
     * @throws IllegalStateException after {@link #close}
     */
    @Override
    public boolean takesEvents() {
        return sink.takesEvents();
    }

    @Override
    public boolean takesFlows() {
        return sink.takesFlows();
    }

    @Override
    public void accept(Released<? extends ExportRecord> record) throws IOException {
        lock.lock();
        try {
            checkFailure();
            if (closing) {
                throw new IllegalStateException(name + ": sink closed");
            }
            accepted++;
            if (count == ring.length) {
                if (overflow == Overflow.DROP && !(record.record() instanceof PrivacyHeader)) {
                    dropped++;
                    return;
                }
                waits++;
                long start = System.nanoTime();
                try {
                    while (count == ring.length && failure == null) {
                        notFull.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    accepted--;
                    throw new InterruptedIOException(name + ": interrupted while waiting for room in the queue");
                } finally {
                    waitedNanos += System.nanoTime() - start;
                }
                checkFailure();
                if (done) {
                    throw new IllegalStateException(name + ": sink closed");
                }
            }
            int tail = head + count;
            ring[tail < ring.length ? tail : tail - ring.length] = record;
            count++;
            if (count > maxDepth) {
                maxDepth = count;
            }
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every record accepted so far has been handed to the wrapped sink. Afterwards,
     * until the next {@link #accept}, the wrapped sink is idle and may be used by the caller
     * (e.g. {@link JsonLinesDirectorySink#startCapture}).
     *
     * @throws SinkException when the sink has failed
     */
    public void flush() throws IOException {
        lock.lock();
        try {
            while ((count > 0 || busy) && failure == null && !done) {
                idle.awaitUninterruptibly();
            }
            checkFailure();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes what is queued, closes the wrapped sink on the sink's thread, and waits for the thread
     * to end.
     *
     * @throws SinkException when a write or the wrapped sink's close failed
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closing = true;
            notEmpty.signalAll();
            while (!done) {
                idle.awaitUninterruptibly();
            }
            checkFailure();
        } finally {
            lock.unlock();
        }
    }

    public Stats stats() {
        lock.lock();
        try {
            return new Stats(name, overflow, ring.length, accepted, written, dropped, maxDepth, waits, waitedNanos);
        } finally {
            lock.unlock();
        }
    }

    /** An I/O failure as a {@link SinkException}; anything else (a bug) as an unchecked exception. */
    private void checkFailure() throws SinkException {
        if (failure == null) {
            return;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                throw new SinkException(name, failure);
            }
        }
        throw new IllegalStateException(name + ": sink failed", failure);
    }

    /** The sink's thread: takes batches off the queue and writes them, in order, until closed. */
    private void drain() {
        Released<?>[] batch = new Released<?>[Math.min(BATCH, ring.length)];
        while (true) {
            int n;
            boolean failed;
            lock.lock();
            try {
                while (count == 0 && !closing) {
                    idle.signalAll();
                    notEmpty.awaitUninterruptibly();
                }
                if (count == 0) {
                    break;   // closing, and everything is written
                }
                n = Math.min(count, batch.length);
                for (int i = 0; i < n; i++) {
                    batch[i] = ring[head];
                    ring[head] = null;
                    head = head + 1 == ring.length ? 0 : head + 1;
                }
                count -= n;
                busy = true;
                failed = failure != null;   // after a failure the rest is discarded
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
            int ok = 0;
            Throwable error = null;
            try {
                for (; ok < n && !failed; ok++) {
                    sink.accept(batch[ok]);
                }
            } catch (Throwable t) {   // any failure, not only IOException, must reach the caller
                error = t;
            }
            Arrays.fill(batch, 0, n, null);
            lock.lock();
            try {
                if (!failed) {
                    written += ok;
                }
                if (error != null && failure == null) {
                    failure = error;
                    notFull.signalAll();   // callers waiting for room, or for a flush, get the failure
                    idle.signalAll();
                }
                busy = false;
                if (count == 0) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
        Throwable closeError = null;
        try {
            sink.close();
        } catch (Throwable t) {
            closeError = t;
        }
        lock.lock();
        try {
            if (closeError != null) {
                if (failure == null) {
                    failure = closeError;
                } else if (failure != closeError) {
                    failure.addSuppressed(closeError);
                }
            }
            done = true;
            idle.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "AsyncSink[" + name + "]";
    }
}
