package org.fathom.wire.text;

import java.nio.charset.StandardCharsets;

/** Small helpers over ASCII bytes, without allocation unless a string is asked for. */
public final class Ascii {
    private Ascii() {}

    /** Whether {@code b[off..off+len)} starts with {@code prefix} (ASCII, case-insensitive). */
    public static boolean startsWithIgnoreCase(byte[] b, int off, int len, String prefix) {
        int n = prefix.length();
        if (len < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (lower(b[off + i]) != lower((byte) prefix.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[off..off+len)} starts with {@code prefix} exactly. */
    public static boolean startsWith(byte[] b, int off, int len, String prefix) {
        int n = prefix.length();
        if (len < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[off + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the first {@code min(len, prefix.length())} bytes agree with {@code prefix} (a prefix that may still grow). */
    public static boolean couldStartWith(byte[] b, int off, int len, String prefix) {
        int n = Math.min(len, prefix.length());
        for (int i = 0; i < n; i++) {
            if (b[off + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Index of {@code needle} (case-insensitive) in the range, or -1. */
    public static int indexOfIgnoreCase(byte[] b, int off, int len, String needle) {
        int n = needle.length();
        for (int i = off; i + n <= off + len; i++) {
            if (startsWithIgnoreCase(b, i, n, needle)) {
                return i;
            }
        }
        return -1;
    }

    public static byte lower(byte c) {
        return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
    }

    public static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    public static boolean isAlpha(byte c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** Printable ASCII or TAB. */
    public static boolean isText(byte c) {
        return (c >= 0x20 && c < 0x7F) || c == '\t';
    }

    /** Whether every byte of the range is printable ASCII (or TAB). */
    public static boolean allText(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (!isText(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** The range as a string of at most {@code max} characters (ISO-8859-1, never fails). */
    public static String string(byte[] b, int off, int len, int max) {
        return new String(b, off, Math.max(0, Math.min(len, max)), StandardCharsets.ISO_8859_1);
    }

    /**
     * Parses a decimal number of at most 9 digits at {@code b[off..off+len)}, all bytes digits;
     * -1 if not.
     */
    public static int parseInt(byte[] b, int off, int len) {
        if (len <= 0 || len > 9) {
            return -1;
        }
        int v = 0;
        for (int i = off; i < off + len; i++) {
            if (!isDigit(b[i])) {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    /** Whether the line starts with a three-digit reply code followed by space, '-' or the line end. */
    public static int replyCode(byte[] b, int off, int len) {
        if (len < 3 || !isDigit(b[off]) || !isDigit(b[off + 1]) || !isDigit(b[off + 2])) {
            return -1;
        }
        if (len > 3 && b[off + 3] != ' ' && b[off + 3] != '-') {
            return -1;
        }
        int c = (b[off] - '0') * 100 + (b[off + 1] - '0') * 10 + (b[off + 2] - '0');
        return c >= 100 && c < 600 ? c : -1;
    }

    /**
     * The word (up to the first space) at the start of the range if it is 1..{@code max}
     * ASCII letters; its length, or -1.
     */
    public static int word(byte[] b, int off, int len, int max) {
        int i = 0;
        while (i < len && i <= max && isAlpha(b[off + i])) {
            i++;
        }
        if (i == 0 || i > max) {
            return -1;
        }
        if (i < len && b[off + i] != ' ') {
            return -1;
        }
        return i;
    }

    /** Whether the first bytes (up to a space or the line end) can begin one of {@code commands}. */
    public static boolean commandPrefix(byte[] b, int off, int len, String[] commands) {
        int n = 0;
        while (n < len && n < 13 && isAlpha(b[off + n])) {
            n++;
        }
        if (n < len && n < 13 && b[off + n] != ' ' && b[off + n] != '\r' && b[off + n] != '\n') {
            return false;
        }
        boolean complete = n < len;
        for (String c : commands) {
            if (complete ? c.length() != n : c.length() < n) {
                continue;
            }
            int i = 0;
            while (i < n && lower(b[off + i]) == lower((byte) c.charAt(i))) {
                i++;
            }
            if (i == n) {
                return true;
            }
        }
        return false;
    }
}
