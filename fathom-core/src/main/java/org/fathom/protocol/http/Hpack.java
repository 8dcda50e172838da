package org.fathom.protocol.http;

import java.nio.charset.StandardCharsets;

/**
 * HPACK header-block decoder (RFC 7541): the static table, one dynamic table per direction of a
 * connection with its size cap, prefixed integers, string literals, Huffman decoding. Written for
 * hostile input: every length is checked against what is left of the block, integers are capped,
 * the dynamic table holds at most {@link #MAX_TABLE_SIZE} bytes (RFC accounting: 32 + name + value
 * per entry) however large a size the peer asks for, and a decoded string is cut at
 * {@link #MAX_STRING} bytes. A malformed block makes {@link #decode} return false; the caller then
 * stops decoding that direction (the table can no longer be trusted).
 */
public final class Hpack {
    /** Cap of the dynamic table (bytes, RFC accounting), whatever the peers' settings say. */
    public static final int MAX_TABLE_SIZE = 64 * 1024;
    /** Longest string kept; longer literals are skipped over (and replaced by their prefix). */
    public static final int MAX_STRING = 4096;
    /** Most header fields reported per block. */
    public static final int MAX_FIELDS = 128;

    /** Receives the fields of a block, in order. */
    public interface Fields {
        void field(String name, String value);
    }

    // ---- static table (RFC 7541 Appendix A)
    private static final String[][] STATIC = {
        {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"}, {":path", "/index.html"},
        {":scheme", "http"}, {":scheme", "https"}, {":status", "200"}, {":status", "204"}, {":status", "206"},
        {":status", "304"}, {":status", "400"}, {":status", "404"}, {":status", "500"}, {"accept-charset", ""},
        {"accept-encoding", "gzip, deflate"}, {"accept-language", ""}, {"accept-ranges", ""}, {"accept", ""},
        {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""}, {"authorization", ""},
        {"cache-control", ""}, {"content-disposition", ""}, {"content-encoding", ""}, {"content-language", ""},
        {"content-length", ""}, {"content-location", ""}, {"content-range", ""}, {"content-type", ""},
        {"cookie", ""}, {"date", ""}, {"etag", ""}, {"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""},
        {"if-match", ""}, {"if-modified-since", ""}, {"if-none-match", ""}, {"if-range", ""},
        {"if-unmodified-since", ""}, {"last-modified", ""}, {"link", ""}, {"location", ""}, {"max-forwards", ""},
        {"proxy-authenticate", ""}, {"proxy-authorization", ""}, {"range", ""}, {"referer", ""}, {"refresh", ""},
        {"retry-after", ""}, {"server", ""}, {"set-cookie", ""}, {"strict-transport-security", ""},
        {"transfer-encoding", ""}, {"user-agent", ""}, {"vary", ""}, {"via", ""}, {"www-authenticate", ""},
    };

    // ---- Huffman code (RFC 7541 Appendix B): the code is canonical, so the lengths define it
    private static final byte[] HUFFMAN_LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6,
        6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5,
        6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24,
        23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21,
        23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, 26,
        26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21,
        26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26,
        26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30,
    };
    static final int EOS = 256;
    /** Canonical decoding: per code length, the first code, and the index of its first symbol in SYMBOLS. */
    private static final int[] FIRST_CODE = new int[31];
    private static final int[] COUNT = new int[31];
    private static final int[] FIRST_INDEX = new int[31];
    private static final int[] SYMBOLS = new int[257];
    /** Each symbol's code (for tests and the encoder of tests). */
    static final int[] CODES = new int[257];

    static {
        int k = 0;
        for (int len = 1; len <= 30; len++) {
            for (int s = 0; s < 257; s++) {
                if (HUFFMAN_LENGTHS[s] == len) {
                    SYMBOLS[k++] = s;
                    COUNT[len]++;
                }
            }
        }
        int code = 0;
        int index = 0;
        for (int len = 1; len <= 30; len++) {
            FIRST_CODE[len] = code;
            FIRST_INDEX[len] = index;
            for (int i = 0; i < COUNT[len]; i++) {
                CODES[SYMBOLS[index + i]] = code + i;
            }
            code = (code + COUNT[len]) << 1;
            index += COUNT[len];
        }
    }

    static int huffmanLength(int symbol) {
        return HUFFMAN_LENGTHS[symbol];
    }

    // ---- dynamic table: a ring of entries, newest at head
    private String[] names = new String[16];
    private String[] values = new String[16];
    /** Octet lengths as sent (a kept string may be cut at {@link #MAX_STRING}). */
    private int[] sizes = new int[16];
    private int head;      // index of the newest entry
    private int count;
    private int size;      // RFC accounting
    private int maxSize = 4096;

    /**
     * The table size the decoding side allows (its SETTINGS_HEADER_TABLE_SIZE): the table shrinks
     * to it at once. Capped at {@link #MAX_TABLE_SIZE}.
     */
    void setMaxSize(int max) {
        maxSize = Math.max(0, Math.min(max, MAX_TABLE_SIZE));
        evict(maxSize);
    }

    /** Entries in the dynamic table (tests). */
    int dynamicCount() {
        return count;
    }

    /** The dynamic table's size (RFC accounting). */
    public int dynamicSize() {
        return size;
    }

    // decoding cursor
    private byte[] b;
    private int p;
    private int end;
    private final byte[] scratch = new byte[MAX_STRING];
    /** Octet length of the last string literal decoded (before any cut). */
    private int lastLength;

    /**
     * Decodes one complete header block, updating the dynamic table, and hands each field to
     * {@code out} (at most {@link #MAX_FIELDS}). Returns false on a malformed block.
     */
    public boolean decode(byte[] buf, int off, int len, Fields out) {
        b = buf;
        p = off;
        end = off + len;
        int fields = 0;
        try {
            while (p < end) {
                int c = b[p] & 0xFF;
                String name;
                String value;
                if ((c & 0x80) != 0) {                   // indexed field
                    int i = integer(7);
                    if (i <= 0 || !indexValid(i)) {
                        return false;
                    }
                    name = nameAt(i);
                    value = valueAt(i);
                } else if ((c & 0xC0) == 0x40) {         // literal, incremental indexing
                    int i = integer(6);
                    int nameLen;
                    if (i == 0) {
                        name = string();
                        nameLen = lastLength;
                    } else {
                        name = indexValid(i) ? nameAt(i) : null;
                        nameLen = name == null ? 0 : nameLength(i);
                    }
                    if (name == null) {
                        return false;
                    }
                    value = string();
                    if (value == null) {
                        return false;
                    }
                    add(name, value, nameLen, 32 + nameLen + lastLength);
                } else if ((c & 0xE0) == 0x20) {         // dynamic table size update
                    if (fields > 0) {
                        return false;                    // only at the start of a block (RFC 7541 4.2)
                    }
                    int s = integer(5);
                    if (s < 0 || s > MAX_TABLE_SIZE) {
                        return false;
                    }
                    maxSize = s;
                    evict(0);
                    continue;
                } else {                                 // literal without indexing / never indexed
                    int i = integer(4);
                    name = i == 0 ? string() : (indexValid(i) ? nameAt(i) : null);
                    if (name == null) {
                        return false;
                    }
                    value = string();
                    if (value == null) {
                        return false;
                    }
                }
                if (fields++ < MAX_FIELDS) {
                    out.field(name, value);
                }
            }
            return true;
        } catch (Malformed e) {
            return false;
        } finally {
            b = null;
        }
    }

    private boolean indexValid(int i) {
        return i >= 1 && i <= STATIC.length + count;
    }

    private String nameAt(int i) {
        return i <= STATIC.length ? STATIC[i - 1][0] : names[slot(i - STATIC.length - 1)];
    }

    private int nameLength(int i) {
        if (i <= STATIC.length) {
            return STATIC[i - 1][0].length();
        }
        int s = slot(i - STATIC.length - 1);
        return sizes[s] >>> 16;
    }

    private String valueAt(int i) {
        return i <= STATIC.length ? STATIC[i - 1][1] : values[slot(i - STATIC.length - 1)];
    }

    /** Ring slot of the dynamic entry {@code k} (0 = newest). */
    private int slot(int k) {
        int s = head - k;
        return s < 0 ? s + names.length : s;
    }

    private void add(String name, String value, int nameLen, int entry) {
        if (entry > maxSize) {
            count = 0;          // an entry larger than the table empties it (RFC 7541 4.4)
            size = 0;
            return;
        }
        evict(maxSize - entry);
        if (count == names.length) {
            int n = names.length * 2;
            String[] nn = new String[n];
            String[] nv = new String[n];
            int[] ns = new int[n];
            for (int k = count - 1, j = 0; k >= 0; k--, j++) {
                nn[j] = names[slot(k)];
                nv[j] = values[slot(k)];
                ns[j] = sizes[slot(k)];
            }
            names = nn;
            values = nv;
            sizes = ns;
            head = count - 1;
        }
        head = (head + 1) % names.length;
        names[head] = name;
        values[head] = value;
        sizes[head] = nameLen << 16 | (entry - 32 - nameLen);
        count++;
        size += entry;
    }

    /** Drops the oldest entries until the table holds at most {@code room} bytes. */
    private void evict(int room) {
        int cap = Math.min(room, maxSize);
        while (size > cap && count > 0) {
            int s = slot(count - 1);
            size -= 32 + (sizes[s] >>> 16) + (sizes[s] & 0xFFFF);
            names[s] = null;
            values[s] = null;
            count--;
        }
    }

    /** Prefixed integer (RFC 7541 5.1) with an N-bit prefix; -1 when over 2^28 or truncated. */
    private int integer(int n) {
        int mask = (1 << n) - 1;
        int v = b[p++] & mask;
        if (v < mask) {
            return v;
        }
        int shift = 0;
        while (true) {
            if (p >= end) {
                throw Malformed.INSTANCE;
            }
            int c = b[p++] & 0xFF;
            v += (c & 0x7F) << shift;
            shift += 7;
            if ((c & 0x80) == 0) {
                return v;
            }
            if (shift > 21) {
                throw Malformed.INSTANCE;
            }
        }
    }

    /** String literal (RFC 7541 5.2), or null when malformed. */
    private String string() {
        if (p >= end) {
            return null;
        }
        boolean huffman = (b[p] & 0x80) != 0;
        int len = integer(7);
        if (len < 0 || len > end - p) {
            return null;
        }
        int start = p;
        p += len;
        if (!huffman) {
            lastLength = len;
            return new String(b, start, Math.min(len, MAX_STRING), StandardCharsets.ISO_8859_1);
        }
        int n = huffman(b, start, len, scratch);
        if (n < 0) {
            return null;
        }
        lastLength = n;
        return new String(scratch, 0, Math.min(n, MAX_STRING), StandardCharsets.ISO_8859_1);
    }

    /**
     * Huffman-decodes {@code b[off..off+len)} into {@code out} (what does not fit is decoded and
     * dropped). Returns the number of symbols decoded (more than written when it did not fit), or -1 when the string contains EOS, a code
     * that does not exist, or padding longer than 7 bits or not all ones (RFC 7541 5.2).
     */
    static int huffman(byte[] b, int off, int len, byte[] out) {
        int n = 0;
        int code = 0;
        int bits = 0;
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            for (int bit = 7; bit >= 0; bit--) {
                code = (code << 1) | ((c >>> bit) & 1);
                bits++;
                if (bits >= 5) {
                    int k = code - FIRST_CODE[bits];
                    if (k >= 0 && k < COUNT[bits]) {
                        int sym = SYMBOLS[FIRST_INDEX[bits] + k];
                        if (sym == EOS) {
                            return -1;
                        }
                        if (n < out.length) {
                            out[n] = (byte) sym;
                        }
                        n++;
                        code = 0;
                        bits = 0;
                    } else if (bits >= 30) {
                        return -1;
                    }
                }
            }
        }
        // padding: fewer than 8 bits, all ones (a prefix of EOS)
        if (bits > 7 || code != (1 << bits) - 1) {
            return -1;
        }
        return n;
    }

    /** A block that ends inside an integer. */
    private static final class Malformed extends RuntimeException {
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super(null, null, false, false);
        }
    }

}
