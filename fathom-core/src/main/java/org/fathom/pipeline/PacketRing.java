package org.fathom.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.fathom.capture.Packet;
import org.fathom.decode.DecodedPacket;

/**
 * Hands frames from the dispatcher to one worker: a single-producer, single-consumer ring of slot
 * descriptors over one byte arena. The dispatcher copies each frame once, from the source straight
 * into the arena; the worker decodes it in place through a {@link Packet} view. Nothing is
 * allocated per packet, and memory is fixed when the ring is made: {@link #SLOTS} descriptors and
 * {@link #ARENA} bytes.
 *
 * <p>Both sides publish their position in batches (every {@link #BATCH} slots, and always before
 * they wait), so the shared counters are written once per batch, not per packet. A side that finds
 * nothing to do spins briefly, then parks; the other side unparks it after its next publication.
 * With more threads than cores (the dispatcher and two workers on two cores), parking rather than
 * spinning is what lets the busy threads have the cores.
 */
final class PacketRing {
    /** A frame the worker owns: decode, account to its flow, classify. */
    static final int PACKET = 0;
    /** A frame another worker owns that this worker's passive observers need (DNS answers). */
    static final int OBSERVE = 1;
    /** No frame: capture time moved on (the idle sweep is due). */
    static final int TICK = 2;
    /** No frame: the source has ended. */
    static final int END = 3;

    static final int SLOTS = 4096;
    static final int ARENA = 8 << 20;
    static final int BATCH = 64;
    private static final int SPINS = 64;
    private static final long PARK_NANOS = 1_000_000L;

    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle FREED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(PacketRing.class, "tail", long.class);
            HEAD = l.findVarHandle(PacketRing.class, "head", long.class);
            FREED = l.findVarHandle(PacketRing.class, "freed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final byte[] arena = new byte[ARENA];
    /**
     * Slot descriptors, two cache lines (16 longs) per slot, so that a slot the producer writes
     * never shares a line with one the consumer reads: [0] arena offset | kind << 32 | link type
     * << 40, [1] captured length | wire length << 32, [2] timestamp, [3] clock, [4] arena position
     * after the frame; for a frame whose headers the dispatcher decoded ({@link #DECODED}), [5..12]
     * the decoded packet, so the worker does not decode it again.
     */
    private final long[] slots = new long[SLOTS * STRIDE];
    private static final int STRIDE = 16;
    /** Kind flag: the slot carries the decoded headers ({@link #take(Packet, DecodedPacket)}). */
    static final int DECODED = 0x10;

    // written by the producer, read by the consumer
    @SuppressWarnings("unused") private volatile long tail;
    // written by the consumer, read by the producer
    @SuppressWarnings("unused") private volatile long head;
    /** Arena position up to which the consumer is done with the bytes. */
    @SuppressWarnings("unused") private volatile long freed;
    private volatile boolean consumerParked;
    private volatile boolean producerParked;
    private volatile Thread consumerThread;
    private volatile Thread producerThread;
    /** Set when the consumer failed: the producer stops waiting for room. */
    volatile boolean consumerGone;

    // producer-local
    private long pTail;
    private long pHeadSeen;
    private long pFreedSeen;
    private long pWrite;
    private int pUnpublished;

    // consumer-local
    private long cHead;
    private long cTailSeen;
    private int cUnpublished;

    /** How often the producer had to wait for room: the worker was the bottleneck. */
    long producerWaits;

    // ------------------------------------------------------------------ producer

    /**
     * Claims room for a frame of {@code n} bytes; returns the arena offset to copy it to, or -1 if
     * the consumer is gone. Waits while the ring is full. Follow with {@link #commit}.
     */
    int claim(int n) {
        long pos = pWrite;
        int at = (int) (pos & (ARENA - 1));   // ARENA is a power of two; pos >= 0
        long skip = at + n > ARENA ? ARENA - at : 0;
        long need = skip + n;
        while (pTail - pHeadSeen >= SLOTS || pos + need - pFreedSeen > ARENA) {
            pHeadSeen = (long) HEAD.getAcquire(this);
            pFreedSeen = (long) FREED.getAcquire(this);
            if (pTail - pHeadSeen < SLOTS && pos + need - pFreedSeen <= ARENA) {
                break;
            }
            if (!waitForRoom()) {
                return -1;
            }
        }
        pWrite = pos + need;
        return skip > 0 ? 0 : at;
    }

    /** Publishes a claimed frame (or, with {@code n == 0}, a frameless slot). */
    void commit(int kind, int at, Packet p, int n, long clock) {
        int s = (int) (pTail & (SLOTS - 1)) * STRIDE;
        long[] d = slots;
        d[s] = (at & 0xFFFF_FFFFL) | (long) kind << 32 | (long) (p.linkType & 0xFFFFFF) << 40;
        d[s + 1] = (n & 0xFFFF_FFFFL) | (long) p.wireLength << 32;
        d[s + 2] = p.timestampNanos;
        d[s + 3] = clock;
        d[s + 4] = pWrite;
        pTail++;
        if (++pUnpublished >= BATCH) {
            publish();
        }
    }

    /**
     * Publishes a claimed frame the producer has decoded whole ({@code d}, decoded from
     * {@code p.data} at offset 0, not a fragment): the consumer gets the decoded packet with it.
     */
    void commitDecoded(int at, Packet p, int n, long clock, DecodedPacket d) {
        int s = (int) (pTail & (SLOTS - 1)) * STRIDE;
        long[] w = slots;
        w[s] = (at & 0xFFFF_FFFFL) | (long) (PACKET | DECODED) << 32 | (long) (p.linkType & 0xFFFFFF) << 40;
        w[s + 1] = (n & 0xFFFF_FFFFL) | (long) p.wireLength << 32;
        w[s + 2] = p.timestampNanos;
        w[s + 3] = clock;
        w[s + 4] = pWrite;
        w[s + 5] = d.srcHi;
        w[s + 6] = d.srcLo;
        w[s + 7] = d.dstHi;
        w[s + 8] = d.dstLo;
        w[s + 9] = (d.srcPort & 0xFFFFL) | (d.dstPort & 0xFFFFL) << 16 | (d.tcpFlags & 0xFFFFL) << 32
                | (d.ttl & 0xFFL) << 48 | (d.l4 & 0xFFL) << 56;
        w[s + 10] = (d.tcpSeq & 0xFFFF_FFFFL) | (long) d.tcpAck << 32;
        w[s + 13] = d.tcpWindow;
        w[s + 11] = ((d.payloadOffset - p.offset) & 0xFFFF_FFFFL) | (long) d.payloadLength << 32;
        w[s + 12] = (d.vlan & 0xFFFFL) | (d.tunnel & 0xFFL) << 16 | (d.icmpType & 0xFFL) << 24 | (d.icmpCode & 0xFFL) << 32
                | (d.ipVersion & 0xFFL) << 40 | (d.malformed ? 1L : 0L) << 48;
        pTail++;
        if (++pUnpublished >= BATCH) {
            publish();
        }
    }

    /** A slot without a frame ({@link #TICK}, {@link #END}); false if the consumer is gone. */
    boolean signal(int kind, long clock) {
        while (pTail - pHeadSeen >= SLOTS) {
            pHeadSeen = (long) HEAD.getAcquire(this);
            if (pTail - pHeadSeen < SLOTS) {
                break;
            }
            if (!waitForRoom()) {
                return false;
            }
        }
        int s = (int) (pTail & (SLOTS - 1)) * STRIDE;
        long[] d = slots;
        d[s] = (long) kind << 32;
        d[s + 1] = 0;
        d[s + 2] = clock;
        d[s + 3] = clock;
        d[s + 4] = pWrite;
        pTail++;
        if (kind == END) {
            publish();
        } else if (++pUnpublished >= BATCH) {
            publish();
        }
        return true;
    }

    /** Makes every committed slot visible to the consumer, and wakes it if it sleeps. */
    void publish() {
        pUnpublished = 0;
        TAIL.setRelease(this, pTail);
        if (consumerParked) {
            Thread t = consumerThread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private boolean waitForRoom() {
        publish();
        if (consumerGone) {
            return false;
        }
        producerWaits++;
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if ((long) HEAD.getAcquire(this) != pHeadSeen) {
                return true;
            }
        }
        producerThread = Thread.currentThread();
        producerParked = true;
        if ((long) HEAD.getAcquire(this) == pHeadSeen && !consumerGone) {
            LockSupport.parkNanos(this, PARK_NANOS);
        }
        producerParked = false;
        return !consumerGone;
    }

    // ------------------------------------------------------------------ consumer

    /**
     * Waits for the next slot and points {@code view} at its frame; returns its kind. The slot is
     * the consumer's until the next call.
     */
    int take(Packet view) {
        if (cHead == cTailSeen) {
            awaitData();
        }
        int s = (int) (cHead & (SLOTS - 1)) * STRIDE;
        long[] d = slots;
        long w0 = d[s];
        long w1 = d[s + 1];
        int n = (int) w1;
        view.data = arena;
        view.offset = (int) w0;
        view.length = n;
        view.frameLength = n;
        view.wireLength = (int) (w1 >>> 32);
        view.linkType = (int) (w0 >>> 40);
        view.timestampNanos = d[s + 2];
        view.fileOffset = -1;
        return (int) (w0 >>> 32) & 0xFF;
    }

    /**
     * As {@link #take(Packet)}; when the slot carries decoded headers ({@link #DECODED} set in the
     * result), {@code d} is filled from them, pointing into the arena, as a decoder would have.
     */
    int take(Packet view, DecodedPacket d) {
        int k = take(view);
        if ((k & DECODED) != 0) {
            int s = (int) (cHead & (SLOTS - 1)) * STRIDE;
            long[] w = slots;
            d.srcHi = w[s + 5];
            d.srcLo = w[s + 6];
            d.dstHi = w[s + 7];
            d.dstLo = w[s + 8];
            long w9 = w[s + 9];
            d.srcPort = (int) (w9 & 0xFFFF);
            d.dstPort = (int) (w9 >>> 16 & 0xFFFF);
            d.tcpFlags = (int) (w9 >>> 32 & 0xFFFF);
            d.ttl = (int) (w9 >>> 48 & 0xFF);
            d.l4 = (int) (w9 >>> 56 & 0xFF);
            long w10 = w[s + 10];
            d.tcpSeq = (int) w10;
            d.tcpAck = (int) (w10 >>> 32);
            d.tcpWindow = (int) w[s + 13];
            long w11 = w[s + 11];
            d.buf = view.data;
            d.payloadOffset = view.offset + (int) w11;
            d.payloadLength = (int) (w11 >>> 32);
            long w12 = w[s + 12];
            d.vlan = (int) (w12 & 0xFFFF);
            d.tunnel = (int) (w12 >>> 16 & 0xFF);
            d.icmpType = (int) (w12 >>> 24 & 0xFF);
            d.icmpCode = (int) (w12 >>> 32 & 0xFF);
            d.ipVersion = (int) (w12 >>> 40 & 0xFF);
            d.malformed = (w12 >>> 48 & 1) != 0;
            d.frames = 1;
            d.wireBytes = view.wireLength;
            d.timestampNanos = view.timestampNanos;
        }
        return k;
    }

    /** The global capture clock when the slot last taken was dispatched. */
    long clock() {
        return slots[(int) (cHead & (SLOTS - 1)) * STRIDE + 3];
    }

    /** The consumer is done with the slot last taken (and with its bytes). */
    void release() {
        lastEnd = slots[(int) (cHead & (SLOTS - 1)) * STRIDE + 4];
        cHead++;
        if (++cUnpublished >= BATCH) {
            FREED.setRelease(this, lastEnd);
            releaseHead();
        }
    }

    private long lastEnd;

    private void releaseHead() {
        cUnpublished = 0;
        HEAD.setRelease(this, cHead);
        if (producerParked) {
            Thread t = producerThread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private void awaitData() {
        // hand back what was consumed before waiting, so the producer never waits on us for it
        if (cUnpublished > 0) {
            FREED.setRelease(this, lastEnd);
            releaseHead();
        }
        int spins = 0;
        while (true) {
            long t = (long) TAIL.getAcquire(this);
            if (t != cHead) {
                cTailSeen = t;
                return;
            }
            if (spins++ < SPINS) {
                Thread.onSpinWait();
                continue;
            }
            consumerThread = Thread.currentThread();
            consumerParked = true;
            if ((long) TAIL.getAcquire(this) == cHead) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            consumerParked = false;
        }
    }

    /** The consumer stops (failed): a producer waiting for room gives up. */
    void consumerFailed() {
        consumerGone = true;
        Thread t = producerThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
