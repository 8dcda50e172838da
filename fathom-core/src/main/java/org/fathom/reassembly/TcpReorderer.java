package org.fathom.reassembly;

/**
 * Puts one direction of a TCP connection back in byte order. Segments in order pass straight
 * through to the {@link Sink} (no copy, no allocation); retransmitted bytes are trimmed and never
 * delivered twice; a segment that arrives ahead of a gap is held (copied) until the missing bytes
 * come, within hard caps on held segments and held bytes. When holding one more segment would
 * pass a cap, the reorderer gives up on the earliest gap: it skips it (telling the sink how many
 * bytes were never seen) and delivers what follows, so a lost segment can neither stall the
 * stream nor grow memory.
 *
 * <p>With caps of zero nothing is held: every gap is skipped at once and a late segment counts as
 * a retransmission. That suits consumers whose results carry the time of the packet that
 * completes a message (SIP call analytics), where waiting for a lost segment would shift times.
 *
 * <p>Sequence numbers are compared modulo 2^32 (wrap-safe). The stream's origin is the SYN
 * ({@link #syn}) or, when the connection was joined mid-way, the first data segment. Never throws
 * for any input; all state is primitive apart from the held bytes, allocated (growing up to the
 * byte cap) only once something is held.
 */
public final class TcpReorderer {
    /** Caps the classifier uses: enough for a few reordered or lost segments of a handshake. */
    public static final int DEFAULT_MAX_HELD_SEGMENTS = 8;
    public static final int DEFAULT_MAX_HELD_BYTES = 32 * 1024;

    /** Receives the stream's bytes in order. */
    public interface Sink {
        /** The next bytes of the stream; the array is only valid during the call. */
        void bytes(byte[] buf, int off, int len);

        /** {@code missing} bytes were never seen and are skipped: the next bytes do not follow the previous ones. */
        default void gap(long missing) { }
    }

    private final int maxHeldSegments;
    private final int maxHeldBytes;
    private boolean started;
    private int nextSeq;
    // held segments: sequence number, offset in the arena, length; in arrival order
    private int[] heldSeq;
    private int[] heldAt;
    private int[] heldLen;
    private byte[] arena;
    private int arenaUsed;
    private int held;
    private int heldBytes;
    private long gapBytes;

    public TcpReorderer() {
        this(DEFAULT_MAX_HELD_SEGMENTS, DEFAULT_MAX_HELD_BYTES);
    }

    /** @param maxHeldSegments, maxHeldBytes hard caps on what waits behind a gap; 0 holds nothing */
    public TcpReorderer(int maxHeldSegments, int maxHeldBytes) {
        this.maxHeldSegments = Math.max(0, maxHeldSegments);
        this.maxHeldBytes = this.maxHeldSegments == 0 ? 0 : Math.max(0, maxHeldBytes);
    }

    /** A SYN with sequence number {@code seq}: the stream's first byte is {@code seq + 1}. */
    public void syn(int seq) {
        if (!started) {
            started = true;
            nextSeq = seq + 1;
        }
    }

    /** One segment's payload {@code buf[off, off+len)} starting at sequence number {@code seq}. */
    public void segment(int seq, byte[] buf, int off, int len, Sink sink) {
        if (len <= 0) {
            return;
        }
        if (!started) {
            started = true; // joined mid-stream: the first data segment sets the origin
            nextSeq = seq;
        }
        if (seq - nextSeq <= 0) {
            deliver(seq, buf, off, len, sink);
            drain(sink);
            return;
        }
        int n = Math.min(len, maxHeldBytes);
        if (isHeld(seq, n)) {
            return;
        }
        // make room within the caps: skip the earliest gap until this segment fits or is in order
        while (held >= maxHeldSegments || heldBytes + n > maxHeldBytes) {
            int first = earliest();
            if (first < 0 || seq - heldSeq[first] < 0) {
                skipTo(seq, sink); // this segment is the earliest: deliver it straight away
                deliver(seq, buf, off, len, sink);
                drain(sink);
                return;
            }
            skipTo(heldSeq[first], sink);
            drain(sink);
            if (seq - nextSeq <= 0) {
                deliver(seq, buf, off, len, sink);
                drain(sink);
                return;
            }
        }
        hold(seq, buf, off, n);
    }

    /** Delivers whatever is held, skipping the gaps before it (the end of the flow). */
    public void flush(Sink sink) {
        while (held > 0) {
            skipTo(heldSeq[earliest()], sink);
            drain(sink);
        }
    }

    /** Whether some bytes of the stream were skipped because they never came. */
    public boolean hasGap() {
        return gapBytes > 0;
    }

    /** Bytes skipped over gaps so far. */
    public long gapBytes() {
        return gapBytes;
    }

    /** Segments held now (tests, monitoring); never more than the segment cap. */
    public int heldSegments() {
        return held;
    }

    /** Bytes held now; never more than the byte cap. */
    public int heldBytes() {
        return heldBytes;
    }

    /** Delivers the part of a segment at or after the next expected byte. */
    private void deliver(int seq, byte[] buf, int off, int len, Sink sink) {
        int skip = nextSeq - seq;
        if (skip < 0 || skip >= len) {
            return; // pure retransmission (skip < 0 cannot happen: callers check the order)
        }
        nextSeq += len - skip;
        sink.bytes(buf, off + skip, len - skip);
    }

    private void skipTo(int seq, Sink sink) {
        int missing = seq - nextSeq;
        if (missing > 0) {
            gapBytes += missing;
            nextSeq = seq;
            sink.gap(missing);
        }
    }

    private boolean isHeld(int seq, int n) {
        for (int i = 0; i < held; i++) {
            if (heldSeq[i] == seq && heldLen[i] >= n) {
                return true;
            }
        }
        return false;
    }

    private void hold(int seq, byte[] buf, int off, int n) {
        if (heldSeq == null) {
            heldSeq = new int[maxHeldSegments];
            heldAt = new int[maxHeldSegments];
            heldLen = new int[maxHeldSegments];
        }
        if (arena == null || arenaUsed + n > arena.length) {
            compact();
            if (arena == null || arenaUsed + n > arena.length) {
                int cap = arena == null ? 0 : arena.length;
                byte[] grown = new byte[Math.min(maxHeldBytes, Math.max(arenaUsed + n, Math.max(2 * cap, 2048)))];
                if (arenaUsed > 0) {
                    System.arraycopy(arena, 0, grown, 0, arenaUsed);
                }
                arena = grown;
            }
        }
        System.arraycopy(buf, off, arena, arenaUsed, n);
        heldSeq[held] = seq;
        heldAt[held] = arenaUsed;
        heldLen[held] = n;
        held++;
        heldBytes += n;
        arenaUsed += n;
    }

    /** Moves the held segments to the front of the arena, in arrival order. */
    private void compact() {
        int at = 0;
        for (int i = 0; i < held; i++) {
            if (heldAt[i] != at) {
                System.arraycopy(arena, heldAt[i], arena, at, heldLen[i]);
                heldAt[i] = at;
            }
            at += heldLen[i];
        }
        arenaUsed = at;
    }

    private int earliest() {
        int best = held > 0 ? 0 : -1;
        for (int i = 1; i < held; i++) {
            if (heldSeq[i] - heldSeq[best] < 0) {
                best = i;
            }
        }
        return best;
    }

    /** Delivers held segments that the stream has reached, earliest first. */
    private void drain(Sink sink) {
        while (held > 0) {
            int i = earliest();
            if (heldSeq[i] - nextSeq > 0) {
                return;
            }
            int seq = heldSeq[i];
            int at = heldAt[i];
            int len = heldLen[i];
            remove(i);
            deliver(seq, arena, at, len, sink);
        }
    }

    private void remove(int i) {
        heldBytes -= heldLen[i];
        held--;
        // keep arrival order (compaction relies on offsets rising with the index)
        System.arraycopy(heldSeq, i + 1, heldSeq, i, held - i);
        System.arraycopy(heldAt, i + 1, heldAt, i, held - i);
        System.arraycopy(heldLen, i + 1, heldLen, i, held - i);
        if (held == 0) {
            arenaUsed = 0;
        }
    }
}
