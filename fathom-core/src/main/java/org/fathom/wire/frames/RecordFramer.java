package org.fathom.wire.frames;

/**
 * Cuts one direction of a TCP byte stream into length-prefixed records (Kerberos over TCP, TDS,
 * OpenVPN over TCP, ONC RPC record marking, ...). The header's length field says how long the
 * record is; the record is handed over whole, or cut to {@code cap} bytes when longer (the rest
 * is skipped unseen). A record that arrives whole in one chunk is handed over in place; only a
 * record split across chunks is copied, into at most {@code cap} bytes.
 */
public final class RecordFramer {
    /** Status of {@link #feed}. */
    public static final int OK = 0;
    public static final int INVALID = -1;
    public static final int STOPPED = -2;

    /** Reads the total record length (header included) from a header; -1 when the header is invalid. */
    public interface Header {
        int recordLength(byte[] b, int off);
    }

    /** Receives each record (or its first {@code cap} bytes); returns false to stop. */
    public interface Sink {
        boolean record(byte[] b, int off, int len, int fullLength);
    }

    private final int headerLen;
    private final int cap;
    private final Header header;
    private byte[] held;
    private int heldLen;
    private int want = -1; // full length of the record being held, -1 while the header is incomplete
    private long skip;
    private int records;
    private int stoppedAt = -1;

    public RecordFramer(int headerLen, int cap, Header header) {
        if (cap < headerLen) {
            throw new IllegalArgumentException("cap below header length");
        }
        this.headerLen = headerLen;
        this.cap = cap;
        this.header = header;
    }

    /** Records handed over so far. */
    public int records() {
        return records;
    }

    /**
     * After {@link #feed} answered {@link #STOPPED}: the offset in the fed buffer just past the
     * record that stopped it (bytes from there on were not consumed).
     */
    public int stoppedAt() {
        return stoppedAt;
    }

    /** Bytes held of an unfinished record. */
    public int pending() {
        return heldLen;
    }

    public int feed(byte[] b, int off, int len, Sink sink) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (skip > 0) {
                int n = (int) Math.min(skip, end - i);
                skip -= n;
                i += n;
                continue;
            }
            if (heldLen == 0 && end - i >= headerLen) {
                // fast path: header in place
                int full = header.recordLength(b, i);
                if (full < headerLen) {
                    return INVALID;
                }
                int take = Math.min(full, cap);
                if (end - i >= take) {
                    records++;
                    skip = full - take;
                    if (!sink.record(b, i, take, full)) {
                        stoppedAt = i + take;
                        return STOPPED;
                    }
                    i += take;
                    continue;
                }
                want = full;
                append(b, i, end - i);
                return OK;
            }
            // slow path: assemble header then body in the buffer
            if (heldLen < headerLen) {
                int n = Math.min(headerLen - heldLen, end - i);
                append(b, i, n);
                i += n;
                if (heldLen < headerLen) {
                    return OK;
                }
                int full = header.recordLength(held, 0);
                if (full < headerLen) {
                    heldLen = 0;
                    return INVALID;
                }
                want = full;
            }
            int take = Math.min(want, cap);
            int n = Math.min(take - heldLen, end - i);
            append(b, i, n);
            i += n;
            if (heldLen == take) {
                int full = want;
                heldLen = 0;
                want = -1;
                records++;
                skip = full - take;
                if (!sink.record(held, 0, take, full)) {
                    stoppedAt = i;
                    return STOPPED;
                }
            }
        }
        return OK;
    }

    private void append(byte[] b, int off, int n) {
        if (n <= 0) {
            return;
        }
        if (held == null || heldLen + n > held.length) {
            byte[] g = new byte[Math.min(cap, Math.max(held == null ? 64 : held.length * 2, heldLen + n))];
            if (held != null) {
                System.arraycopy(held, 0, g, 0, heldLen);
            }
            held = g;
        }
        System.arraycopy(b, off, held, heldLen, n);
        heldLen += n;
    }
}
