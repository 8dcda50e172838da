package org.fathom.protocol.tls;

/**
 * Puts a byte stream back together from pieces that carry their own offsets (QUIC CRYPTO frames,
 * DTLS handshake fragments), in any order, repeated or overlapping. Holds at most {@code cap}
 * bytes; pieces beyond the cap are dropped and counted as {@link #overflowed()}.
 */
public final class FragmentBuffer {
    private final int cap;
    private byte[] data;
    private long[] have;
    private int contiguous;
    private int highest;
    private boolean overflowed;

    public FragmentBuffer(int cap) {
        this.cap = cap;
    }

    /** Adds {@code len} bytes of the stream starting at stream offset {@code offset}. */
    public void add(long offset, byte[] b, int off, int len) {
        if (len <= 0) {
            return;
        }
        if (offset < 0 || offset >= cap) {
            overflowed = true;
            return;
        }
        int start = (int) offset;
        int n = len;
        if (start + n > cap) {
            n = cap - start;
            overflowed = true;
        }
        if (data == null) {
            data = new byte[Math.min(cap, Math.max(2048, start + n))];
            have = new long[(cap + 63) >>> 6];
        } else if (data.length < start + n) {
            data = java.util.Arrays.copyOf(data, Math.min(cap, Math.max(data.length * 2, start + n)));
        }
        System.arraycopy(b, off, data, start, n);
        for (int i = start; i < start + n; i++) {
            have[i >>> 6] |= 1L << i;
        }
        highest = Math.max(highest, start + n);
        while (contiguous < highest && (have[contiguous >>> 6] & (1L << contiguous)) != 0) {
            contiguous++;
        }
    }

    /** Bytes available without a hole from offset 0. */
    public int contiguous() {
        return contiguous;
    }

    /** The buffer; valid from 0 to {@link #contiguous()}. */
    public byte[] data() {
        return data;
    }

    public boolean overflowed() {
        return overflowed;
    }
}
