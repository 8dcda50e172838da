package org.fathom.protocol.kerberos;

import org.fathom.wire.frames.Ber;
import org.fathom.wire.text.Ascii;

/**
 * Checks and reads the outer structure of a Kerberos V5 message (RFC 4120 section 5): an
 * [APPLICATION n] tag with n = 10 AS-REQ, 11 AS-REP, 12 TGS-REQ, 13 TGS-REP or 30 KRB-ERROR,
 * a SEQUENCE whose first elements are {@code pvno [0|1] INTEGER 5} and {@code msg-type [1|2]
 * INTEGER n}. Works on a possibly truncated prefix of the message. Never throws.
 */
public final class KerberosMessage {
    private KerberosMessage() {}

    /**
     * The message type n if {@code b[off..off+len)} starts a Kerberos message whose declared length
     * is exactly {@code fullLength}, else -1.
     */
    public static int type(byte[] b, int off, int len, int fullLength) {
        int end = off + len;
        if (len < 12) {
            return -1;
        }
        int tag = b[off] & 0xFF;
        int n = tag - 0x60;
        if (n != 10 && n != 11 && n != 12 && n != 13 && n != 30) {
            return -1;
        }
        long app = Ber.header(b, off, end, Integer.MAX_VALUE);
        if (app < 0 || Ber.headerLength(app) + (long) Ber.contentLength(app) != fullLength) {
            return -1;
        }
        int limit = off + fullLength;
        int p = off + Ber.headerLength(app);
        if (p >= end || b[p] != 0x30) {
            return -1;
        }
        long seq = Ber.header(b, p, end, limit);
        if (seq < 0 || p + Ber.headerLength(seq) + Ber.contentLength(seq) != limit) {
            return -1;
        }
        p += Ber.headerLength(seq);
        boolean req = n == 10 || n == 12;
        int pvnoTag = req ? 0xA1 : 0xA0;
        if (p >= end || (b[p] & 0xFF) != pvnoTag) {
            return -1;
        }
        long h = Ber.header(b, p, end, limit);
        if (h < 0) {
            return -1;
        }
        if (Ber.integer(b, p + Ber.headerLength(h), end) != 5) {
            return -1;
        }
        p += Ber.headerLength(h) + Ber.contentLength(h);
        if (p >= end || (b[p] & 0xFF) != pvnoTag + 1) {
            return -1;
        }
        h = Ber.header(b, p, end, limit);
        if (h < 0 || Ber.integer(b, p + Ber.headerLength(h), end) != n) {
            return -1;
        }
        return n;
    }

    /** The realm named by a valid message (its server realm, or the client realm of a reply), or null. */
    public static String realm(byte[] b, int off, int len, int type) {
        int end = off + len;
        long app = Ber.header(b, off, end, Integer.MAX_VALUE);
        if (app < 0) {
            return null;
        }
        int p = off + Ber.headerLength(app);
        long seq = Ber.header(b, p, end, Integer.MAX_VALUE);
        if (seq < 0) {
            return null;
        }
        int limit = p + Ber.headerLength(seq) + Ber.contentLength(seq);
        p += Ber.headerLength(seq);
        int q;
        switch (type) {
            case 10, 12 -> {
                // KDC-REQ: req-body [4] KDC-REQ-BODY ::= SEQUENCE { ..., realm [2] Realm, ... }
                q = Ber.find(b, p, end, limit, 0xA4);
                if (q < 0) {
                    return null;
                }
                long h = Ber.header(b, q, end, limit);
                int bodyEnd = q + Ber.headerLength(h) + Ber.contentLength(h);
                int s = q + Ber.headerLength(h);
                if (s >= end || b[s] != 0x30) {
                    return null;
                }
                long sh = Ber.header(b, s, end, bodyEnd);
                if (sh < 0) {
                    return null;
                }
                q = Ber.find(b, s + Ber.headerLength(sh), end, bodyEnd, 0xA2);
            }
            case 11, 13 -> q = Ber.find(b, p, end, limit, 0xA3); // crealm [3]
            case 30 -> q = Ber.find(b, p, end, limit, 0xA9); // realm [9]
            default -> q = -1;
        }
        return q < 0 ? null : generalString(b, q, end);
    }

    /** The error-code of a KRB-ERROR, or -1. */
    public static long errorCode(byte[] b, int off, int len) {
        int end = off + len;
        long app = Ber.header(b, off, end, Integer.MAX_VALUE);
        if (app < 0) {
            return -1;
        }
        int p = off + Ber.headerLength(app);
        long seq = Ber.header(b, p, end, Integer.MAX_VALUE);
        if (seq < 0) {
            return -1;
        }
        int limit = p + Ber.headerLength(seq) + Ber.contentLength(seq);
        int q = Ber.find(b, p + Ber.headerLength(seq), end, limit, 0xA6);
        if (q < 0) {
            return -1;
        }
        long h = Ber.header(b, q, end, limit);
        long v = Ber.integer(b, q + Ber.headerLength(h), end);
        return v == Long.MIN_VALUE || v < 0 ? -1 : v;
    }

    /** The text of {@code [k] GeneralString} at {@code q}, if printable. */
    private static String generalString(byte[] b, int q, int end) {
        long h = Ber.header(b, q, end, end);
        if (h < 0) {
            return null;
        }
        int s = q + Ber.headerLength(h);
        if (s >= end || b[s] != 0x1B) {
            return null;
        }
        long sh = Ber.header(b, s, end, end);
        if (sh < 0) {
            return null;
        }
        int from = s + Ber.headerLength(sh);
        int n = Ber.contentLength(sh);
        if (n == 0 || n > 255 || !Ascii.allText(b, from, n)) {
            return null;
        }
        return Ascii.string(b, from, n, 255);
    }

    static String typeName(int n) {
        return switch (n) {
            case 10 -> "AS-REQ";
            case 11 -> "AS-REP";
            case 12 -> "TGS-REQ";
            case 13 -> "TGS-REP";
            case 30 -> "KRB-ERROR";
            default -> null;
        };
    }
}
