package org.fathom.reassembly;

/**
 * Reassembles fragmented IPv4 and IPv6 datagrams (RFC 791, RFC 8200 section 4.5) within hard caps:
 * datagrams in progress, fragments per datagram, bytes per datagram, and a timeout in capture time.
 * What falls outside the caps is dropped and counted, never buffered without limit.
 *
 * <p>Only the part after the IP header (and, for IPv6, after the fragment header) is rebuilt; the
 * caller decodes the L4 header from {@link #buffer()} once {@link #offer} reports completion.
 * Not thread-safe: one per worker.
 */
public final class IpReassembler {
    public static final int DEFAULT_MAX_DATAGRAMS = 1024;
    public static final int DEFAULT_MAX_FRAGMENTS = 64;
    public static final int MAX_DATAGRAM_BYTES = 65_535;
    public static final long DEFAULT_TIMEOUT_NANOS = 30_000_000_000L;

    private final int maxDatagrams;
    private final int maxFragments;
    private final long timeoutNanos;

    // datagrams in progress, struct of arrays indexed by slot
    private final boolean[] used;
    private final long[] srcHi, srcLo, dstHi, dstLo;
    private final int[] ident;
    private final int[] proto;
    private final long[] firstTs;
    private final int[] total;       // -1 until the last fragment is seen
    private final int[] frames;
    private final long[] wire;
    private final int[][] starts, ends;
    private final int[] count;
    private final byte[][] data;
    private final int[] hashNext;
    private final int[] buckets;
    private int active;
    private long nextSweep = Long.MIN_VALUE;

    // the last completed datagram
    private final byte[] out = new byte[MAX_DATAGRAM_BYTES];
    private int outProto;
    private int outFrames;
    private long outWire;

    // counters
    public long fragments;
    public long reassembled;
    public long droppedFragments;
    public long timedOut;
    public long overflowed;

    public IpReassembler() {
        this(DEFAULT_MAX_DATAGRAMS, DEFAULT_MAX_FRAGMENTS, DEFAULT_TIMEOUT_NANOS);
    }

    public IpReassembler(int maxDatagrams, int maxFragments, long timeoutNanos) {
        if (maxDatagrams < 1 || maxFragments < 1) {
            throw new IllegalArgumentException("reassembly caps must be positive");
        }
        this.maxDatagrams = maxDatagrams;
        this.maxFragments = maxFragments;
        this.timeoutNanos = timeoutNanos;
        used = new boolean[maxDatagrams];
        srcHi = new long[maxDatagrams];
        srcLo = new long[maxDatagrams];
        dstHi = new long[maxDatagrams];
        dstLo = new long[maxDatagrams];
        ident = new int[maxDatagrams];
        proto = new int[maxDatagrams];
        firstTs = new long[maxDatagrams];
        total = new int[maxDatagrams];
        frames = new int[maxDatagrams];
        wire = new long[maxDatagrams];
        starts = new int[maxDatagrams][];
        ends = new int[maxDatagrams][];
        count = new int[maxDatagrams];
        data = new byte[maxDatagrams][];
        hashNext = new int[maxDatagrams];
        buckets = new int[Integer.highestOneBit(maxDatagrams * 2 - 1) << 1];
        java.util.Arrays.fill(buckets, -1);
    }

    /**
     * Adds one fragment.
     *
     * @param offset byte offset of this fragment's data within the datagram
     * @param more   the more-fragments flag
     * @param l4     the upper-layer protocol (for IPv6: the fragment header's next header; only
     *               meaningful on the first fragment)
     * @return the length of the completed datagram in {@link #buffer()}, or -1 while incomplete or
     *     when the fragment was dropped
     */
    public int offer(long sHi, long sLo, long dHi, long dLo, int id, int l4, int offset, boolean more,
                     byte[] buf, int off, int len, long ts, long wireBytes) {
        fragments++;
        if (ts >= nextSweep) {
            sweep(ts);
            nextSweep = ts + 1_000_000_000L;
        }
        int end = offset + len;
        if (len < 0 || offset < 0 || end > MAX_DATAGRAM_BYTES || (more && (len & 7) != 0)) {
            droppedFragments++;
            return -1;
        }
        int h = hash(sHi, sLo, dHi, dLo, id);
        int slot = buckets[h];
        while (slot >= 0) {
            if (ident[slot] == id && srcLo[slot] == sLo && dstLo[slot] == dLo && srcHi[slot] == sHi && dstHi[slot] == dHi) {
                break;
            }
            slot = hashNext[slot];
        }
        if (slot < 0) {
            slot = allocate(ts);
            used[slot] = true;
            srcHi[slot] = sHi;
            srcLo[slot] = sLo;
            dstHi[slot] = dHi;
            dstLo[slot] = dLo;
            ident[slot] = id;
            proto[slot] = -1;
            firstTs[slot] = ts;
            total[slot] = -1;
            frames[slot] = 0;
            wire[slot] = 0;
            count[slot] = 0;
            if (starts[slot] == null) {
                starts[slot] = new int[maxFragments];
                ends[slot] = new int[maxFragments];
            }
            hashNext[slot] = buckets[h];
            buckets[h] = slot;
            active++;
        }
        if (count[slot] == maxFragments) {
            droppedFragments += frames[slot] + 1;
            overflowed++;
            release(slot);
            return -1;
        }
        if (!more) {
            if (total[slot] >= 0 && total[slot] != end) {
                droppedFragments += frames[slot] + 1;
                release(slot);
                return -1;
            }
            total[slot] = end;
        }
        if (offset == 0) {
            proto[slot] = l4;
        }
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

    public int completedFrames() {
        return outFrames;
    }

    public long completedWireBytes() {
        return outWire;
    }

    public int inProgress() {
        return active;
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

    private int allocate(long ts) {
        if (active == maxDatagrams) {
            int oldest = -1;
            for (int i = 0; i < maxDatagrams; i++) {
                if (used[i] && (oldest < 0 || firstTs[i] < firstTs[oldest])) {
                    oldest = i;
                }
            }
            droppedFragments += frames[oldest];
            overflowed++;
            release(oldest);
        }
        for (int i = 0; i < maxDatagrams; i++) {
            if (!used[i]) {
                return i;
            }
        }
        throw new IllegalStateException("no free reassembly slot");
    }

    private void sweep(long now) {
        if (active == 0) {
            return;
        }
        for (int i = 0; i < maxDatagrams; i++) {
            if (used[i] && now - firstTs[i] > timeoutNanos) {
                droppedFragments += frames[i];
                timedOut++;
                release(i);
            }
        }
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
        used[slot] = false;
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
