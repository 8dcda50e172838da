package org.fathom.wire;

/**
 * Bounds-checked-by-contract readers over {@code (byte[] buf, int off, int len)} views, shared by
 * the long-tail dissectors. Callers check lengths first; these helpers never allocate.
 */
public final class Bytes {
    private Bytes() {}

    public static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    public static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    public static int u16le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    public static int u24(byte[] b, int i) {
        return (b[i] & 0xFF) << 16 | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF);
    }

    public static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xFF) << 24) | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    public static long u32le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | ((long) (b[i + 3] & 0xFF) << 24);
    }

    public static long u64(byte[] b, int i) {
        return u32(b, i) << 32 | u32(b, i + 4);
    }

    public static long u64le(byte[] b, int i) {
        return u32le(b, i) | u32le(b, i + 4) << 32;
    }

    /** Whether {@code b[off..off+len)} starts with the ASCII text {@code s} (compared byte by byte). */
    public static boolean startsWith(byte[] b, int off, int len, String s) {
        return regionEquals(b, off, len, 0, s);
    }

    /** Whether the view holds the ASCII text {@code s} at relative position {@code at}. */
    public static boolean regionEquals(byte[] b, int off, int len, int at, String s) {
        int n = s.length();
        if (at < 0 || len - at < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[off + at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the view starts with as much of {@code s} as it holds: a view shorter than {@code s}
     * that agrees so far counts (the rest may still come).
     */
    public static boolean prefixOf(byte[] b, int off, int len, String s) {
        int n = Math.min(len, s.length());
        for (int i = 0; i < n; i++) {
            if (b[off + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Relative position of the ASCII text {@code s} in the first {@code limit} bytes of the view, or -1. */
    public static int indexOf(byte[] b, int off, int len, String s, int limit) {
        int n = s.length();
        int end = Math.min(len, limit) - n;
        if (n == 0) {
            return 0;
        }
        byte first = (byte) s.charAt(0);
        outer:
        for (int i = 0; i <= end; i++) {
            if (b[off + i] != first) {
                continue;
            }
            for (int j = 1; j < n; j++) {
                if (b[off + i + j] != (byte) s.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Relative position of byte {@code v} in {@code [from, min(len, limit))} of the view, or -1. */
    public static int indexOf(byte[] b, int off, int len, int from, int limit, int v) {
        int end = Math.min(len, limit);
        for (int i = Math.max(0, from); i < end; i++) {
            if ((b[off + i] & 0xFF) == v) {
                return i;
            }
        }
        return -1;
    }

    public static boolean isPrintable(int c) {
        return c >= 0x20 && c < 0x7F;
    }

    /** Whether every byte of {@code [from, to)} (relative) is printable ASCII. */
    public static boolean allPrintable(byte[] b, int off, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isPrintable(b[off + i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every byte of {@code [from, to)} (relative) is an ASCII digit; false when empty. */
    public static boolean allDigits(byte[] b, int off, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            int c = b[off + i];
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The ASCII text of {@code [from, to)} (relative), cut to {@code max} characters; non-printables become '?'. */
    public static String ascii(byte[] b, int off, int from, int to, int max) {
        int end = Math.min(to, from + max);
        StringBuilder sb = new StringBuilder(Math.max(0, end - from));
        for (int i = from; i < end; i++) {
            int c = b[off + i] & 0xFF;
            sb.append(isPrintable(c) ? (char) c : '?');
        }
        return sb.toString();
    }

    /** Whether every byte of {@code [from, to)} (relative) is zero. */
    public static boolean allZero(byte[] b, int off, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[off + i] != 0) {
                return false;
            }
        }
        return true;
    }
}
