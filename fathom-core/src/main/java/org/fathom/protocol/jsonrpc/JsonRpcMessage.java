package org.fathom.protocol.jsonrpc;

import org.fathom.protocol.Dissector;

/**
 * Recognises a JSON-RPC 2.0 message (jsonrpc.org/specification, sections 4 and 5) at the start of
 * a byte range, without allocating: a JSON object (or a batch, an array whose first element is
 * one) whose members are read one by one with a small JSON scanner (strings with their escapes,
 * numbers and literals, nested objects and arrays skipped with their strings). It is a message
 * once the object has the member {@code "jsonrpc": "2.0"} (the specification's exact string) and
 * one of {@code "method"} with a string value (a request or notification), {@code "result"}, or
 * {@code "error"} with an object value (a response), in any order; any syntax error before that
 * refuses it, and an object that closes without them too. Stratum mining's calls are left to
 * Mining. Also used by HTTP for request bodies.
 */
public final class JsonRpcMessage {
    private JsonRpcMessage() {}

    private static final int MORE = -2;
    private static final int BAD = -1;
    private static final int MAX_DEPTH = 64;
    private static final int VERSION = 1;
    private static final int CALL = 2;

    /** {@link Dissector#DONE}, {@link Dissector#NO}, or {@link Dissector#NEED_MORE} when the bytes end first. */
    public static int judge(byte[] b, int off, int len) {
        int end = off + len;
        int p = ws(b, off, end);
        if (p == end) {
            return Dissector.NEED_MORE;
        }
        if (b[p] == '[') {
            p = ws(b, p + 1, end);
            if (p == end) {
                return Dissector.NEED_MORE;
            }
        }
        if (b[p] != '{') {
            return Dissector.NO;
        }
        p++;
        int seen = 0;
        while (true) {
            p = ws(b, p, end);
            if (p == end) {
                return Dissector.NEED_MORE;
            }
            if (b[p] != '"') {
                return Dissector.NO; // a member name, or '}' (closed without the members: not JSON-RPC)
            }
            int keyStart = p + 1;
            int q = string(b, p, end);
            if (q < 0) {
                return q == MORE ? Dissector.NEED_MORE : Dissector.NO;
            }
            int keyLen = q - 1 - keyStart;
            p = ws(b, q, end);
            if (p == end) {
                return Dissector.NEED_MORE;
            }
            if (b[p] != ':') {
                return Dissector.NO;
            }
            p = ws(b, p + 1, end);
            if (p == end) {
                return Dissector.NEED_MORE;
            }
            int valueStart = p;
            q = value(b, p, end);
            if (q < 0) {
                return q == MORE ? Dissector.NEED_MORE : Dissector.NO;
            }
            if (is(b, keyStart, keyLen, "jsonrpc")) {
                if (q - valueStart != 5 || !is(b, valueStart, 5, "\"2.0\"")) {
                    return Dissector.NO;
                }
                seen |= VERSION;
            } else if (is(b, keyStart, keyLen, "method")) {
                if (b[valueStart] != '"' || mining(b, valueStart + 1, q - 1)) {
                    return Dissector.NO;
                }
                seen |= CALL;
            } else if (is(b, keyStart, keyLen, "error")) {
                if (b[valueStart] != '{') {
                    return Dissector.NO;
                }
                seen |= CALL;
            } else if (is(b, keyStart, keyLen, "result")) {
                seen |= CALL;
            }
            if (seen == (VERSION | CALL)) {
                return Dissector.DONE;
            }
            p = ws(b, q, end);
            if (p == end) {
                return Dissector.NEED_MORE;
            }
            if (b[p] != ',') {
                return Dissector.NO;
            }
            p++;
        }
    }

    /**
     * The login and subscription calls of Stratum mining, which is JSON-RPC too but named Mining
     * (the p2p package, as nDPI): {@code mining.*}, EthProxy's {@code eth_submitLogin}, the
     * CryptoNote pools' {@code login}.
     */
    private static boolean mining(byte[] b, int from, int to) {
        int n = to - from;
        return n >= 7 && is(b, from, 7, "mining.") || is(b, from, n, "eth_submitLogin") || is(b, from, n, "login");
    }

    private static boolean is(byte[] b, int at, int n, String s) {
        if (n != s.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int ws(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
        return p;
    }

    /** From the opening quote at {@code p}: the position after the closing quote, {@link #MORE} or {@link #BAD}. */
    private static int string(byte[] b, int p, int end) {
        p++;
        while (p < end) {
            int c = b[p] & 0xFF;
            if (c == '"') {
                return p + 1;
            }
            if (c < 0x20) {
                return BAD; // control characters must be escaped (RFC 8259, section 7)
            }
            if (c == '\\') {
                if (p + 1 == end) {
                    return MORE;
                }
                int e = b[p + 1];
                if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't' && e != 'u') {
                    return BAD;
                }
                p += 2;
            } else {
                p++;
            }
        }
        return MORE;
    }

    /** A value starting at {@code p}: the position after it, {@link #MORE} or {@link #BAD}. */
    private static int value(byte[] b, int p, int end) {
        int c = b[p];
        if (c == '"') {
            return string(b, p, end);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (p < end) {
                c = b[p];
                if (c == '"') {
                    p = string(b, p, end);
                    if (p < 0) {
                        return p;
                    }
                    continue;
                }
                if (c == '{' || c == '[') {
                    if (++depth > MAX_DEPTH) {
                        return BAD;
                    }
                } else if (c == '}' || c == ']') {
                    if (--depth == 0) {
                        return p + 1;
                    }
                } else if ((c & 0xFF) < 0x20 && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    return BAD;
                }
                p++;
            }
            return MORE;
        }
        // number or literal (true, false, null)
        int start = p;
        while (p < end) {
            c = b[p];
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '+' || c == '.' || c == 'E') {
                p++;
            } else {
                break;
            }
        }
        if (p == end) {
            return MORE;
        }
        return p > start ? p : BAD;
    }
}
