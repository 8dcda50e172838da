package org.fathom.protocol.dns;

/**
 * DNS over TCP framing (RFC 1035 section 4.2.2, RFC 7766): each message is preceded by its length
 * in two bytes. Collects one direction's messages across chunk boundaries; a message longer than
 * {@link #MAX_MESSAGE} is delivered cut to that size (its header and question come first, which is
 * what is inspected). Separate from {@link DnsMessage} so that either can be tested alone.
 */
final class DnsTcpFramer {
    static final int MAX_MESSAGE = 16 * 1024;

    /** Receives each message (whole, or its first {@link #MAX_MESSAGE} bytes). */
    interface Sink {
        /** Returns false to stop framing. */
        boolean message(byte[] b, int off, int len, int declaredLength);
    }

    private int lenBytes;
    private int declared;
    private int got;
    private byte[] buf;
    private long skip;

    /** Length of the message being collected, once its two length bytes are in (else -1). */
    int pendingLength() {
        return lenBytes == 2 ? declared : -1;
    }

    /** Bytes of the message being collected so far. */
    int pendingBytes() {
        return got;
    }

    byte[] pendingBuffer() {
        return buf;
    }

    /** Feeds stream bytes; returns false when the sink asked to stop. */
    boolean feed(byte[] b, int off, int len, Sink sink) {
        int p = off;
        int end = off + len;
        while (p < end) {
            if (skip > 0) {
                int n = (int) Math.min(skip, end - p);
                skip -= n;
                p += n;
                continue;
            }
            if (lenBytes < 2) {
                declared = (declared << 8) | (b[p++] & 0xFF);
                lenBytes++;
                if (lenBytes == 2) {
                    got = 0;
                    if (declared == 0) {
                        if (!sink.message(b, p, 0, 0)) {
                            return false;
                        }
                        reset();
                    }
                }
                continue;
            }
            int want = Math.min(declared, MAX_MESSAGE);
            if (got == 0 && end - p >= want) {
                // whole message in this chunk: no copy
                int n = want;
                int dec = declared;
                p += n;
                skip = dec - n;
                reset();
                if (!sink.message(b, p - n, n, dec)) {
                    return false;
                }
                continue;
            }
            if (buf == null || buf.length < want) {
                buf = new byte[Math.max(want, Math.min(MAX_MESSAGE, 512))];
            }
            int n = Math.min(want - got, end - p);
            System.arraycopy(b, p, buf, got, n);
            got += n;
            p += n;
            if (got == want) {
                int dec = declared;
                skip = dec - want;
                reset();
                if (!sink.message(buf, 0, want, dec)) {
                    return false;
                }
            }
        }
        return true;
    }

    private void reset() {
        lenBytes = 0;
        declared = 0;
        got = 0;
    }
}
