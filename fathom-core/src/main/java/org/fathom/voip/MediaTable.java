package org.fathom.voip;

import java.util.Arrays;

/**
 * Media endpoints announced in SDP (address and port) to the RTP direction that packets sent to
 * each endpoint belong to: an open-addressing table with linear probing, keys interleaved in one
 * {@code long[]} (address high, low, port and flags: one cache line per probe) and the streams in a
 * parallel array, so a lookup costs two memory accesses and allocates nothing. It grows by
 * doubling up to {@code cap} entries (load at most one half) and never beyond: {@link #put}
 * refuses a new endpoint when full.
 */
final class MediaTable {
    private static final int STRIDE = 4;   // hi, lo, port | flags, unused (32 bytes per slot)
    private static final long USED = 1L << 32;
    private static final long AUDIO = 1L << 33;

    private final int cap;
    private long[] keys;
    private RtpStream[] vals;
    private int mask;
    private int size;

    MediaTable(int cap) {
        this.cap = cap;
        alloc(64);
    }

    private void alloc(int slots) {
        keys = new long[slots * STRIDE];
        vals = new RtpStream[slots];
        mask = slots - 1;
    }

    int size() {
        return size;
    }

    static int hash(long hi, long lo, int port) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL ^ port * 0x165667B19E3779F9L;
        h = (h ^ h >>> 29) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ h >>> 32);
    }

    /** The slot of the endpoint, or -1. */
    int find(long hi, long lo, int port) {
        long[] k = keys;
        int m = mask;
        long want = USED | port;
        for (int i = hash(hi, lo, port) & m; ; i = i + 1 & m) {
            int o = i * STRIDE;
            long w = k[o + 2];
            if (w == 0) {
                return -1;
            }
            if ((w & ~AUDIO) == want && k[o + 1] == lo && k[o] == hi) {
                return i;
            }
        }
    }

    /** The stream measuring packets sent to the endpoint in {@code slot} (from {@link #find}). */
    RtpStream stream(int slot) {
        return vals[slot];
    }

    boolean audio(int slot) {
        return (keys[slot * STRIDE + 2] & AUDIO) != 0;
    }

    /**
     * Binds an endpoint to the stream of packets sent to it (replacing an earlier binding).
     *
     * @return 1 for a new endpoint, 2 when it replaced a binding, 0 when the table is full
     */
    int put(long hi, long lo, int port, RtpStream to, boolean audio) {
        int s = find(hi, lo, port);
        int r = 2;
        if (s < 0) {
            if (size >= cap) {
                return 0;
            }
            r = 1;
            if (2 * (size + 1) > mask + 1) {
                grow();
            }
            s = hash(hi, lo, port) & mask;
            while (keys[s * STRIDE + 2] != 0) {
                s = s + 1 & mask;
            }
            size++;
        }
        int o = s * STRIDE;
        keys[o] = hi;
        keys[o + 1] = lo;
        keys[o + 2] = USED | port | (audio ? AUDIO : 0);
        vals[s] = to;
        return r;
    }

    /** Removes the endpoint when it is bound to a stream of {@code call}; true if it was. */
    boolean remove(long hi, long lo, int port, Call call) {
        int s = find(hi, lo, port);
        if (s < 0 || call != null && vals[s].call != call) {
            return false;
        }
        // backward-shift deletion keeps every probe sequence unbroken
        long[] k = keys;
        int m = mask;
        int hole = s;
        for (int i = s + 1 & m; ; i = i + 1 & m) {
            int o = i * STRIDE;
            if (k[o + 2] == 0) {
                break;
            }
            int home = hash(k[o], k[o + 1], (int) (k[o + 2] & 0xFFFF)) & m;
            // move the entry at i into the hole unless its home lies cyclically in (hole, i]
            boolean stays = hole <= i ? home > hole && home <= i : home > hole || home <= i;
            if (!stays) {
                System.arraycopy(k, o, k, hole * STRIDE, STRIDE);
                vals[hole] = vals[i];
                hole = i;
            }
        }
        Arrays.fill(k, hole * STRIDE, hole * STRIDE + STRIDE, 0);
        vals[hole] = null;
        size--;
        return true;
    }

    private void grow() {
        long[] ok = keys;
        RtpStream[] ov = vals;
        alloc((mask + 1) * 2);
        for (int i = 0; i < ov.length; i++) {
            int o = i * STRIDE;
            if (ok[o + 2] != 0) {
                int s = hash(ok[o], ok[o + 1], (int) (ok[o + 2] & 0xFFFF)) & mask;
                while (keys[s * STRIDE + 2] != 0) {
                    s = s + 1 & mask;
                }
                System.arraycopy(ok, o, keys, s * STRIDE, STRIDE);
                vals[s] = ov[i];
            }
        }
    }
}
