package org.fathom.protocol;

/**
 * Puts one direction of a TCP connection back in byte order for the dissectors: in-order
 * segments pass straight through, retransmitted bytes are not fed again, and segments that
 * arrive ahead of a gap are held (copied) within a cap. When the cap is reached the gap is
 * skipped and reported, so a lost segment cannot stall inspection or grow memory.
 */
final class TcpStream {
    static final int MAX_HELD_SEGMENTS = 8;
    static final int MAX_HELD_BYTES = 32 * 1024;

    /** Receives stream bytes in order. */
    interface Sink {
        void bytes(byte[] buf, int off, int len);
    }

    private boolean started;
    private int nextSeq;
    private int[] heldSeq;
    private byte[][] heldData;
    private int held;
    private int heldBytes;
    /** Bytes skipped over gaps (0 when the stream was complete). */
    long gapBytes;

    void syn(int seq) {
        if (!started) {
            started = true;
            nextSeq = seq + 1;
        }
    }

    void segment(int seq, byte[] buf, int off, int len, Sink sink) {
        if (len <= 0) {
            return;
        }
        if (!started) {
            started = true; // joined mid-stream: the first data segment sets the origin
            nextSeq = seq;
        }
        int delta = seq - nextSeq; // wrap-safe
        if (delta <= 0) {
            int skip = -delta;
            if (skip >= len) {
                return; // pure retransmission
            }
            sink.bytes(buf, off + skip, len - skip);
            nextSeq += len - skip;
            drain(sink);
            return;
        }
        hold(seq, buf, off, len);
        if (held > MAX_HELD_SEGMENTS || heldBytes > MAX_HELD_BYTES) {
            // give up waiting for the missing bytes: jump to the earliest held segment
            int first = earliest();
            gapBytes += (heldSeq[first] - nextSeq) & 0xFFFF_FFFFL;
            nextSeq = heldSeq[first];
            drain(sink);
        }
    }

    /** Delivers whatever is held beyond the last gap (end of flow). */
    void flush(Sink sink) {
        while (held > 0) {
            int first = earliest();
            if (heldSeq[first] - nextSeq > 0) {
                gapBytes += (heldSeq[first] - nextSeq) & 0xFFFF_FFFFL;
                nextSeq = heldSeq[first];
            }
            drain(sink);
        }
    }

    boolean hasGap() {
        return gapBytes > 0;
    }

    private void hold(int seq, byte[] buf, int off, int len) {
        if (heldSeq == null) {
            heldSeq = new int[MAX_HELD_SEGMENTS + 1];
            heldData = new byte[MAX_HELD_SEGMENTS + 1][];
        }
        for (int i = 0; i < held; i++) {
            if (heldSeq[i] == seq && heldData[i].length >= len) {
                return; // already held
            }
        }
        int n = Math.min(len, MAX_HELD_BYTES);
        byte[] copy = new byte[n];
        System.arraycopy(buf, off, copy, 0, n);
        heldSeq[held] = seq;
        heldData[held] = copy;
        held++;
        heldBytes += n;
    }

    private int earliest() {
        int best = 0;
        for (int i = 1; i < held; i++) {
            if (heldSeq[i] - heldSeq[best] < 0) {
                best = i;
            }
        }
        return best;
    }

    private void drain(Sink sink) {
        boolean progress = true;
        while (held > 0 && progress) {
            progress = false;
            for (int i = 0; i < held; i++) {
                int delta = heldSeq[i] - nextSeq;
                if (delta <= 0) {
                    byte[] d = heldData[i];
                    int skip = -delta;
                    if (skip < d.length) {
                        sink.bytes(d, skip, d.length - skip);
                        nextSeq += d.length - skip;
                    }
                    heldBytes -= d.length;
                    held--;
                    heldSeq[i] = heldSeq[held];
                    heldData[i] = heldData[held];
                    heldData[held] = null;
                    progress = true;
                    break;
                }
            }
        }
    }
}
