package org.fathom.inline;

import org.fathom.decode.DecodedPacket;

/**
 * Per-flow token buckets for {@code rate_limit} verdicts: a fixed table, no allocation per packet,
 * used by the one thread that answers the queue.
 *
 * <p>A bucket belongs to one direction of one flow (addresses, ports, protocol, VLAN as the packet
 * carries them), so a limit of 2 Mbit/s gives a download 2 Mbit/s and its acknowledgements their own
 * 2 Mbit/s. It fills at the verdict's rate and holds at most {@link #burstBytes} (100 ms at that
 * rate, at least 2 full-size packets), so a flow can send a short burst after a pause but its
 * average over any longer time stays at the rate. A packet that finds too few tokens is dropped (TCP
 * then slows down; a UDP sender loses what is over the rate).
 *
 * <p>The table is open addressing with {@link #PROBES} probes: a new flow takes the first free slot
 * or the probed slot idle longest (an eviction, counted; the evicted flow starts again with a full
 * bucket if it comes back).
 */
public final class TokenBuckets {
    /** Highest rate a bucket takes, bits/s (100 Gbit/s). */
    public static final long MAX_RATE = 100_000_000_000L;
    /** Slots probed for a flow before the stalest of them is reused. */
    static final int PROBES = 8;
    /** Tokens kept for a pause: this many nanoseconds of the rate. */
    static final long BURST_NANOS = 100_000_000L;
    /** ... but at least room for two full-size packets. */
    static final long MIN_BURST_BYTES = 2 * 1514;

    private final int mask;
    private final long[] srcHi, srcLo, dstHi, dstLo, ports;   // ports: src<<24 | dst<<8 | l4, vlan in the top bits
    private final long[] tokensMicroBytes;   // bytes x 1e6, so refills at low rates do not round to zero
    private final long[] last;               // when the bucket was last refilled (nanos)
    private final boolean[] used;
    private int size;
    private long evictions;

    /** @param capacity buckets held at most (rounded up to a power of two) */
    public TokenBuckets(int capacity) {
        int c = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        mask = c - 1;
        srcHi = new long[c];
        srcLo = new long[c];
        dstHi = new long[c];
        dstLo = new long[c];
        ports = new long[c];
        tokensMicroBytes = new long[c];
        last = new long[c];
        used = new boolean[c];
    }

    /** The most tokens a bucket of this rate holds, bytes. */
    public static long burstBytes(long bitsPerSecond) {
        return Math.max(MIN_BURST_BYTES, bitsPerSecond / 8 * BURST_NANOS / 1_000_000_000L);
    }

    /**
     * Takes {@code bytes} from the packet's bucket at {@code bitsPerSecond}.
     *
     * @return true when the packet fits (pass it), false when it is over the rate (drop it)
     */
    public boolean take(DecodedPacket d, int bytes, long bitsPerSecond, long nowNanos) {
        long key = (long) (d.srcPort & 0xffff) << 24 | (long) (d.dstPort & 0xffff) << 8 | (d.l4 & 0xff)
                | (long) (d.vlan & 0xfff) << 40;
        long h = d.srcLo * 0x9E3779B97F4A7C15L ^ d.dstLo * 0xC2B2AE3D27D4EB4FL ^ d.srcHi ^ Long.rotateLeft(d.dstHi, 17)
                ^ key * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        int start = (int) h & mask;
        int victim = -1;
        long victimLast = Long.MAX_VALUE;
        int slot = -1;
        for (int i = 0; i < PROBES; i++) {
            int s = (start + i) & mask;
            if (!used[s]) {
                if (victim < 0 || victimLast != Long.MIN_VALUE) {
                    victim = s;
                    victimLast = Long.MIN_VALUE;   // a free slot beats any eviction
                }
                continue;
            }
            if (ports[s] == key && srcLo[s] == d.srcLo && dstLo[s] == d.dstLo && srcHi[s] == d.srcHi && dstHi[s] == d.dstHi) {
                slot = s;
                break;
            }
            if (last[s] < victimLast) {
                victim = s;
                victimLast = last[s];
            }
        }
        if (bitsPerSecond > MAX_RATE) {
            bitsPerSecond = MAX_RATE;
        }
        long burst = burstBytes(bitsPerSecond) * 1_000_000L;
        if (slot < 0) {
            slot = victim;
            if (used[slot]) {
                evictions++;
            } else {
                used[slot] = true;
                size++;
            }
            srcHi[slot] = d.srcHi;
            srcLo[slot] = d.srcLo;
            dstHi[slot] = d.dstHi;
            dstLo[slot] = d.dstLo;
            ports[slot] = key;
            tokensMicroBytes[slot] = burst;
            last[slot] = nowNanos;
        } else {
            long elapsed = nowNanos - last[slot];
            if (elapsed > 0) {
                // micro-bytes = bytes/s x elapsed ns / 1000. A bucket fills within 100 ms above
                // 1 MB/s and within 3 s below it, so the elapsed time is cut to 200 ms or 10 s, which
                // keeps the product in a long up to MAX_RATE
                long bytesPerSecond = bitsPerSecond >>> 3;
                long cut = Math.min(elapsed, bytesPerSecond >= 1_000_000 ? 200_000_000L : 10_000_000_000L);
                long add = bytesPerSecond * cut / 1_000L;
                tokensMicroBytes[slot] = Math.min(burst, tokensMicroBytes[slot] + add);
                last[slot] = nowNanos;
            }
        }
        long need = bytes * 1_000_000L;
        if (tokensMicroBytes[slot] >= need) {
            tokensMicroBytes[slot] -= need;
            return true;
        }
        return false;
    }

    /** Buckets in use. */
    public int size() {
        return size;
    }

    /** Buckets reused for another flow because their probe window was full. */
    public long evictions() {
        return evictions;
    }

    /** Slots in the table. */
    public int capacity() {
        return mask + 1;
    }
}
