package org.fathom.protocol.tls;

/**
 * One direction of a TLS connection, framed (RFC 8446 section 5.1, RFC 5246 section 6.2): the
 * record layer is taken apart here and the bodies of handshake records are joined into handshake
 * messages, which may span records and TCP segments, and several may share one record. Bytes
 * arrive in any chunking. Messages are handed to a {@link Handler} whole.
 *
 * <p>Nothing is copied while messages lie whole inside a chunk; a message split across chunks is
 * buffered up to {@link #MAX_BUFFER} bytes, beyond which the stream stops with {@link #OVERFLOW}.
 * After a ChangeCipherSpec record the direction's handshake is encrypted and no longer parsed.
 */
public final class TlsRecordStream {
    public static final int MAX_BUFFER = 64 * 1024;
    /** Largest record body: 2^14 plus the expansion allowed for ciphertext. */
    static final int MAX_RECORD = (1 << 14) + 2048;

    public static final int CT_CHANGE_CIPHER_SPEC = 20;
    public static final int CT_ALERT = 21;
    public static final int CT_HANDSHAKE = 22;
    public static final int CT_APPLICATION_DATA = 23;
    public static final int CT_HEARTBEAT = 24;

    /** Status: more bytes welcome. */
    public static final int OK = 0;
    /** Status: the bytes are not a TLS record stream. */
    public static final int ERROR = 1;
    /** Status: a handshake message exceeded {@link #MAX_BUFFER}. */
    public static final int OVERFLOW = 2;
    /** Status: the handler asked to stop. */
    public static final int STOPPED = 3;

    /** Receives whole handshake messages and record headers. */
    public interface Handler {
        /** A record header; return false to stop. */
        default boolean record(int contentType, int version, int length) {
            return true;
        }

        /** A whole handshake message body (without its 4-byte header); return false to stop. */
        boolean message(int type, byte[] b, int off, int len);

        /** An alert sent in clear (level 1 warning, 2 fatal; description per RFC 8446 section 6); return false to stop. */
        default boolean alert(int level, int description) {
            return true;
        }
    }

    private int alertBytes;
    private int alertLen;

    private final byte[] header = new byte[5];
    private int headerLen;
    private int recordType;
    private int recordLeft;
    private byte[] hs;
    private int hsLen;
    private int status = OK;
    private boolean encrypted;
    private int records;

    public int status() {
        return status;
    }

    /** Records whose header has been read. */
    public int records() {
        return records;
    }

    /** Whether the bytes fed so far end exactly at a record boundary. */
    public boolean atBoundary() {
        return recordLeft == 0 && headerLen == 0;
    }

    /** A ChangeCipherSpec was seen: later handshake records are ciphertext. */
    public boolean encrypted() {
        return encrypted;
    }

    /** Feeds the next chunk of the direction; returns {@link #status()}. */
    public int feed(byte[] b, int off, int len, Handler h) {
        int end = off + len;
        int p = off;
        while (p < end && status == OK) {
            if (recordLeft == 0) {
                // record header, possibly split
                int take = Math.min(5 - headerLen, end - p);
                System.arraycopy(b, p, header, headerLen, take);
                headerLen += take;
                p += take;
                if (headerLen < 5) {
                    break;
                }
                headerLen = 0;
                int type = header[0] & 0xFF;
                int version = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
                int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
                if (type < CT_CHANGE_CIPHER_SPEC || type > CT_HEARTBEAT || (version >>> 8) != 3 || (version & 0xFF) > 4
                        || length == 0 || length > MAX_RECORD) {
                    status = ERROR;
                    break;
                }
                records++;
                recordType = type;
                recordLeft = length;
                if (!h.record(type, version, length)) {
                    status = STOPPED;
                    break;
                }
                if (type == CT_CHANGE_CIPHER_SPEC) {
                    encrypted = true;
                }
                alertLen = length == 2 ? 0 : 2;   // only a plain two-byte alert is read
                continue;
            }
            int take = Math.min(recordLeft, end - p);
            if (recordType == CT_HANDSHAKE && !encrypted) {
                handshakeBytes(b, p, take, h);
            } else if (recordType == CT_ALERT && !encrypted && alertLen < 2) {
                for (int i = 0; i < take && alertLen < 2; i++) {
                    alertBytes = alertBytes << 8 | (b[p + i] & 0xFF);
                    if (++alertLen == 2 && !h.alert((alertBytes >>> 8) & 0xFF, alertBytes & 0xFF)) {
                        status = STOPPED;
                    }
                }
            }
            recordLeft -= take;
            p += take;
        }
        return status;
    }

    private void handshakeBytes(byte[] b, int off, int len, Handler h) {
        if (hsLen == 0) {
            // fast path: whole messages straight from the chunk
            int p = off;
            int end = off + len;
            while (end - p >= 4) {
                int ml = u24(b, p + 1);
                if (ml > end - p - 4) {
                    break;
                }
                if (!h.message(b[p] & 0xFF, b, p + 4, ml)) {
                    status = STOPPED;
                    return;
                }
                p += 4 + ml;
            }
            if (p < end) {
                append(b, p, end - p);
            }
            return;
        }
        append(b, off, len);
        if (status != OK) {
            return;
        }
        int p = 0;
        while (hsLen - p >= 4) {
            int ml = u24(hs, p + 1);
            if (ml > MAX_BUFFER - 4) {
                status = OVERFLOW;
                return;
            }
            if (ml > hsLen - p - 4) {
                break;
            }
            if (!h.message(hs[p] & 0xFF, hs, p + 4, ml)) {
                status = STOPPED;
                return;
            }
            p += 4 + ml;
        }
        if (p > 0) {
            System.arraycopy(hs, p, hs, 0, hsLen - p);
            hsLen -= p;
        }
    }

    private void append(byte[] b, int off, int len) {
        if (hsLen + len > MAX_BUFFER) {
            status = OVERFLOW;
            return;
        }
        if (hs == null || hs.length < hsLen + len) {
            // room for the whole message when its length is in hand (a certificate chain split
            // over segments is then copied once, not through 2, 4 and 8 KiB buffers)
            int whole = hsLen == 0 && len >= 4 ? 4 + u24(b, off + 1) : hsLen >= 4 ? 4 + u24(hs, 1) : 0;
            int cap = Math.min(MAX_BUFFER, Math.max(Math.max(hsLen + len, whole), hs == null ? 2048 : hs.length * 2));
            hs = hs == null ? new byte[cap] : java.util.Arrays.copyOf(hs, cap);
        }
        System.arraycopy(b, off, hs, hsLen, len);
        hsLen += len;
        if (hsLen >= 4 && u24(hs, 1) > MAX_BUFFER - 4) {
            status = OVERFLOW;
        }
    }

    static int u24(byte[] b, int p) {
        return ((b[p] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF);
    }
}
