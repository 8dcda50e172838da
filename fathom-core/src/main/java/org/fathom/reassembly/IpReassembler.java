package org.fathom.reassembly;

import java.util.Arrays;

/**
 * Reassembles fragmented IPv4 and IPv6 datagrams (RFC 791, RFC 8200 section 4.5) within hard caps:
 * datagrams in progress, fragments per datagram, bytes per datagram, and a timeout in capture time.
 * What falls outside the caps is dropped and counted, never buffered without limit.
 *
 * <p>Policy, as modern stacks apply it (Linux since 2018, RFC 5722 for IPv6): an exact duplicate
 * of a fragment already held is ignored (its frame still counts towards the datagram); a fragment
 * that overlaps another with a different extent, or contradicts where the datagram ends, drops the
 * whole datagram, since hosts disagree on how to rebuild it and an inspector that guesses differs
 * from the receiver it protects. A dropped datagram leaves a marker that swallows its remaining
 * fragments until its last fragment (MF clear) arrives or the timeout passes, so they neither
 * start a new datagram nor mix with a later one that reuses the identification.
 *
 * <p>Only the part after the IP header (and, for IPv6, after the fragment header) is rebuilt; the
 * caller decodes the L4 header from {@link #buffer()} once {@link #offer} reports completion.
 * Every offered fragment ends up counted exactly once: {@code fragments == reassembledFragments +
 * droppedFragments + pendingFragments()}. Not thread-safe: one per worker.
 */
public final class IpReassembler {
    public static final int DEFAULT_MAX_DATAGRAMS = 1024;
    public static final int DEFAULT_MAX_FRAGMENTS = 64;
    public static final int MAX_DATAGRAM_BYTES = 65_535;
    public static final long DEFAULT_TIMEOUT_NANOS = 30_000_000_000L;
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private static final byte FREE = 0, LIVE = 1, DEAD = 2;
    private static final int ACCEPT = 0, DUPLICATE = 1, OVERSIZED = 2, TOO_MANY = 3, OVERLAP = 4, INCONSISTENT = 5;

    private final int maxDatagrams;
    private final int maxFragments;
    private final long timeoutNanos;

    // datagrams in progress (LIVE) and markers of dropped ones (DEAD), struct of arrays by slot
    private final byte[] state;
    private final long[] srcHi, srcLo, dstHi, dstLo;
    private final int[] ident;
    private final int[] proto;
    private final long[] firstTs;
    private final int[] total;       // -1 until the last fragment is seen
    private final int[] maxEnd;
    private final int[] frames;
    private final long[] wire;
    private final int[][] starts, ends;
    private final int[] count;
    private final byte[][] data;
    private final int[] hashNext;
    private final int[] buckets;
    private int active;
    private long pending;
    private long nextSweep = Long.MIN_VALUE;
    private long lastSweep = Long.MIN_VALUE;

    // the last completed datagram
    private final byte[] out = new byte[MAX_DATAGRAM_BYTES];
    private int outProto;
    private int outFrames;
    private long outWire;

    /** Fragments offered. */
    public long fragments;
    /** Datagrams completed. */
    public long reassembled;
    /** Fragments (frames, duplicates included) that went into completed datagrams. */
    public long reassembledFragments;
    /** Fragments that will never be part of a completed datagram, for whatever reason below. */
    public long droppedFragments;
    /** Datagrams dropped because they were not complete within the timeout. */
    public long timedOut;
    /** Datagrams dropped because too many others were in progress (the oldest goes). */
    public long evicted;
    /** Datagrams dropped because they had more fragments than the cap. */
    public long tooManyFragments;
    /** Datagrams dropped because they reached past {@link #MAX_DATAGRAM_BYTES}. */
    public long oversized;
    /** Datagrams dropped because two fragments overlapped with different extents. */
    public long overlapping;
    /** Datagrams dropped because their fragments disagreed on where the datagram ends. */
    public long inconsistent;

    public IpReassembler() {
        this(DEFAULT_MAX_DATAGRAMS, DEFAULT_MAX_FRAGMENTS, DEFAULT_TIMEOUT_NANOS);
    }

    public IpReassembler(int maxDatagrams, int maxFragments, long timeoutNanos) {
        if (maxDatagrams < 1 || maxFragments < 1 || timeoutNanos < 0) {
            throw new IllegalArgumentException("reassembly caps must be positive");
        }
        this.maxDatagrams = maxDatagrams;
        this.maxFragments = maxFragments;
        this.timeoutNanos = timeoutNanos;
        state = new byte[maxDatagrams];
        srcHi = new long[maxDatagrams];
        srcLo = new long[maxDatagrams];
        dstHi = new long[maxDatagrams];
        dstLo = new long[maxDatagrams];
        ident = new int[maxDatagrams];
        proto = new int[maxDatagrams];
        firstTs = new long[maxDatagrams];
        total = new int[maxDatagrams];
        maxEnd = new int[maxDatagrams];
        frames = new int[maxDatagrams];
        wire = new long[maxDatagrams];
        starts = new int[maxDatagrams][];
        ends = new int[maxDatagrams][];
        count = new int[maxDatagrams];
        data = new byte[maxDatagrams][];
        hashNext = new int[maxDatagrams];
        buckets = new int[Integer.highestOneBit(maxDatagrams * 2 - 1) << 1];
        Arrays.fill(buckets, -1);
    }

    /**
     * Adds one fragment.
     *
     * @param id     the identification, with whatever else keys the datagram besides the addresses
     *               (IPv4: the protocol)
     * @param l4     the upper-layer protocol (for IPv6: the fragment header's next header; only
     *               meaningful on the first fragment)
     * @param offset byte offset of this fragment's data within the datagram
     * @param more   the more-fragments flag
     * @return the length of the completed datagram in {@link #buffer()}, or -1 while incomplete or
     *     when the fragment was dropped
     */
    public int offer(long sHi, long sLo, long dHi, long dLo, int id, int l4, int offset, boolean more,
                     byte[] buf, int off, int len, long ts, long wireBytes) {
        fragments++;
        if (ts >= nextSweep || (lastSweep > Long.MIN_VALUE + SWEEP_INTERVAL_NANOS && ts < lastSweep - SWEEP_INTERVAL_NANOS)) {
            // once a second of capture time, and whenever time runs backwards
            sweep(ts);
            lastSweep = ts;
            nextSweep = ts <= Long.MAX_VALUE - SWEEP_INTERVAL_NANOS ? ts + SWEEP_INTERVAL_NANOS : Long.MAX_VALUE;
        }
        if (len < 0 || offset < 0) {
            droppedFragments++;
            return -1;
        }
        int slot = find(sHi, sLo, dHi, dLo, id);
        if (slot >= 0 && stale(ts, firstTs[slot])) {
            expire(slot); // between sweeps
            slot = -1;
        }
        if (slot >= 0 && state[slot] == DEAD) {
            droppedFragments++;
            if (!more) {
                release(slot); // the dropped datagram has ended: its identification may be reused
            }
            return -1;
        }
        if (more && (len & 7) != 0) {
            droppedFragments++; // only the last fragment may end off an 8-byte boundary
            return -1;
        }
        int end = offset + len;
        if (slot < 0) {
            slot = open(sHi, sLo, dHi, dLo, id, ts);
        }
        int verdict = check(slot, offset, end, more);
        if (verdict == DUPLICATE) {
            frames[slot]++;
            wire[slot] += wireBytes;
            pending++;
            return -1;
        }
        if (verdict != ACCEPT) {
            switch (verdict) {
                case OVERSIZED -> oversized++;
                case TOO_MANY -> tooManyFragments++;
                case OVERLAP -> overlapping++;
                default -> inconsistent++;
            }
            droppedFragments += frames[slot] + 1;
            pending -= frames[slot];
            if (more) {
                state[slot] = DEAD;
            } else {
                release(slot);
            }
            return -1;
        }
        if (offset == 0) {
            proto[slot] = l4;
        }
        if (!more) {
            total[slot] = end;
        }
        maxEnd[slot] = Math.max(maxEnd[slot], end);
        byte[] d = data[slot];
        if (d == null || d.length < end) {
            byte[] grown = new byte[Math.min(MAX_DATAGRAM_BYTES, Math.max(end, d == null ? 2048 : d.length * 2))];
            if (d != null) {
                System.arraycopy(d, 0, grown, 0, d.length);
            }
            data[slot] = d = grown;
        }
        System.arraycopy(buf, off, d, offset, len);
        frames[slot]++;
        wire[slot] += wireBytes;
        pending++;
        insertRange(slot, offset, end);
        if (total[slot] < 0 || proto[slot] < 0 || !complete(slot)) {
            return -1;
        }
        int n = total[slot];
        System.arraycopy(d, 0, out, 0, n);
        outProto = proto[slot];
        outFrames = frames[slot];
        outWire = wire[slot];
        reassembled++;
        reassembledFragments += frames[slot];
        pending -= frames[slot];
        release(slot);
        return n;
    }

    /** The last completed datagram's bytes (valid until the next {@link #offer}). */
    public byte[] buffer() {
        return out;
    }

    public int completedProtocol() {
        return outProto;
    }

    /** Frames of the last completed datagram, duplicates included. */
    public int completedFrames() {
        return outFrames;
    }

    /** Wire bytes of those frames. */
    public long completedWireBytes() {
        return outWire;
    }

    /** Datagrams in progress, and markers of dropped ones still swallowing fragments; at most the cap. */
    public int inProgress() {
        return active;
    }

    /** Fragments held by incomplete datagrams: neither reassembled nor dropped yet. */
    public long pendingFragments() {
        return pending;
    }

    private int check(int slot, int s, int e, boolean more) {
        if (e > MAX_DATAGRAM_BYTES) {
            return OVERSIZED;
        }
        int[] st = starts[slot];
        int[] en = ends[slot];
        int n = count[slot];
        for (int i = 0; i < n; i++) {
            if (st[i] == s && en[i] == e && (more || total[slot] == e)) {
                return DUPLICATE;
            }
        }
        if (n == maxFragments) {
            return TOO_MANY;
        }
        int t = total[slot];
        if (more ? t >= 0 && e > t : (t >= 0 && t != e) || e < maxEnd[slot]) {
            return INCONSISTENT;
        }
        for (int i = 0; i < n; i++) {
            if (st[i] < e && s < en[i]) {
                return OVERLAP;
            }
        }
        return ACCEPT;
    }

    private void insertRange(int slot, int s, int e) {
        int[] st = starts[slot];
        int[] en = ends[slot];
        int n = count[slot];
        int i = n;
        while (i > 0 && st[i - 1] > s) {
            st[i] = st[i - 1];
            en[i] = en[i - 1];
            i--;
        }
        st[i] = s;
        en[i] = e;
        count[slot] = n + 1;
    }

    private boolean complete(int slot) {
        int[] st = starts[slot];
        int[] en = ends[slot];
        int reach = 0;
        for (int i = 0; i < count[slot]; i++) {
            if (st[i] > reach) {
                return false;
            }
            reach = Math.max(reach, en[i]);
        }
        return reach >= total[slot];
    }

    private int find(long sHi, long sLo, long dHi, long dLo, int id) {
        int slot = buckets[hash(sHi, sLo, dHi, dLo, id)];
        while (slot >= 0) {
            if (ident[slot] == id && srcLo[slot] == sLo && dstLo[slot] == dLo && srcHi[slot] == sHi && dstHi[slot] == dHi) {
                return slot;
            }
            slot = hashNext[slot];
        }
        return -1;
    }

    private int open(long sHi, long sLo, long dHi, long dLo, int id, long ts) {
        if (active == maxDatagrams) {
            int oldest = -1;
            for (int i = 0; i < maxDatagrams; i++) {
                if (state[i] != FREE && (oldest < 0 || firstTs[i] < firstTs[oldest])) {
                    oldest = i;
                }
            }
            if (state[oldest] == LIVE) {
                evicted++;
                droppedFragments += frames[oldest];
                pending -= frames[oldest];
            }
            release(oldest);
        }
        int slot = 0;
        while (state[slot] != FREE) {
            slot++;
        }
        state[slot] = LIVE;
        srcHi[slot] = sHi;
        srcLo[slot] = sLo;
        dstHi[slot] = dHi;
        dstLo[slot] = dLo;
        ident[slot] = id;
        proto[slot] = -1;
        firstTs[slot] = ts;
        total[slot] = -1;
        maxEnd[slot] = 0;
        frames[slot] = 0;
        wire[slot] = 0;
        count[slot] = 0;
        if (starts[slot] == null) {
            starts[slot] = new int[maxFragments];
            ends[slot] = new int[maxFragments];
        }
        int h = hash(sHi, sLo, dHi, dLo, id);
        hashNext[slot] = buckets[h];
        buckets[h] = slot;
        active++;
        return slot;
    }

    /** Whether a datagram first seen at {@code first} is past the timeout at {@code now}, either way in time. */
    private boolean stale(long now, long first) {
        long diff = Math.max(now, first) - Math.min(now, first);
        return diff < 0 || diff > timeoutNanos; // negative: the difference overflowed, so it is huge
    }

    private void sweep(long now) {
        if (active == 0) {
            return;
        }
        for (int i = 0; i < maxDatagrams; i++) {
            if (state[i] != FREE && stale(now, firstTs[i])) {
                expire(i);
            }
        }
    }

    private void expire(int slot) {
        if (state[slot] == LIVE) {
            timedOut++;
            droppedFragments += frames[slot];
            pending -= frames[slot];
        }
        release(slot);
    }

    private void release(int slot) {
        int h = hash(srcHi[slot], srcLo[slot], dstHi[slot], dstLo[slot], ident[slot]);
        int prev = -1;
        int cur = buckets[h];
        while (cur >= 0 && cur != slot) {
            prev = cur;
            cur = hashNext[cur];
        }
        if (cur == slot) {
            if (prev < 0) {
                buckets[h] = hashNext[slot];
            } else {
                hashNext[prev] = hashNext[slot];
            }
        }
        state[slot] = FREE;
        // keep small buffers for reuse, give large ones back to the collector
        if (data[slot] != null && data[slot].length > 8192) {
            data[slot] = null;
        }
        active--;
    }

    private int hash(long sHi, long sLo, long dHi, long dLo, int id) {
        long h = sLo * 0x9E3779B97F4A7C15L ^ dLo * 0xC2B2AE3D27D4EB4FL ^ sHi ^ (dHi << 1) ^ id * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        return (int) h & (buckets.length - 1);
    }
}
