package org.fathom.wire.text;

/**
 * Cuts one direction of a text protocol's byte stream (FTP, SMTP, POP3, IMAP, RTSP, ...) into
 * lines ending in LF (a CR before it is dropped). A line that arrives whole in one chunk is handed
 * over in place; only a line split across chunks is copied, into a buffer of at most {@code cap}
 * bytes. A line longer than the cap is handed over cut to the cap (flagged {@link #overlong()})
 * and the rest of it, up to its LF, is skipped.
 */
public final class LineAssembler {
    /** Receives each complete line; returns false to stop feeding (the rest of the chunk is dropped). */
    public interface Sink {
        boolean line(byte[] buf, int off, int len);
    }

    private final int cap;
    private byte[] held;
    private int heldLen;
    private boolean skipping;
    private boolean overlong;

    public LineAssembler(int cap) {
        this.cap = cap;
    }

    /** Bytes held of an unfinished line. */
    public int pending() {
        return heldLen;
    }

    /** Whether the last line handed over was cut to the cap. */
    public boolean overlong() {
        return overlong;
    }

    /** The held bytes of the unfinished line (valid up to {@link #pending()}). */
    public byte[] pendingBytes() {
        return held;
    }

    /**
     * Feeds a chunk; calls {@code sink} for each line completed by it.
     *
     * @return false if the sink stopped the feeding
     */
    public boolean feed(byte[] b, int off, int len, Sink sink) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int lf = indexOf(b, i, end, (byte) '\n');
            if (skipping) {
                if (lf < 0) {
                    return true;
                }
                skipping = false;
                i = lf + 1;
                continue;
            }
            if (lf < 0) {
                int n = end - i;
                if (heldLen + n > cap) {
                    // the line cannot end within the cap: hand over what fits, skip the rest
                    append(b, i, cap - heldLen);
                    overlong = true;
                    skipping = true;
                    int l = heldLen;
                    heldLen = 0;
                    return sink.line(held, 0, trimCr(held, 0, l));
                }
                append(b, i, n);
                return true;
            }
            int n = lf - i;
            overlong = heldLen + n > cap;
            if (overlong) {
                n = cap - heldLen;
            }
            boolean go;
            if (heldLen == 0) {
                go = sink.line(b, i, trimCr(b, i, n));
            } else {
                append(b, i, n);
                int l = heldLen;
                heldLen = 0;
                go = sink.line(held, 0, trimCr(held, 0, l));
            }
            if (!go) {
                return false;
            }
            i = lf + 1;
        }
        return true;
    }

    private void append(byte[] b, int off, int n) {
        if (n <= 0) {
            return;
        }
        if (held == null) {
            held = new byte[Math.min(cap, Math.max(64, heldLen + n))];
        } else if (heldLen + n > held.length) {
            byte[] g = new byte[Math.min(cap, Math.max(held.length * 2, heldLen + n))];
            System.arraycopy(held, 0, g, 0, heldLen);
            held = g;
        }
        System.arraycopy(b, off, held, heldLen, n);
        heldLen += n;
    }

    private static int trimCr(byte[] b, int off, int len) {
        return len > 0 && b[off + len - 1] == '\r' ? len - 1 : len;
    }

    static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
