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

    /**
     * Where the fields of a message start and where its SEQUENCE ends (inside the APPLICATION
     * tag): {@code start << 32 | limit}, or -1 when the two headers cannot be read.
     */
    private static long body(byte[] b, int off, int end) {
        long app = Ber.header(b, off, end, Integer.MAX_VALUE);
        if (app < 0) {
            return -1;
        }
        int p = off + Ber.headerLength(app);
        long seq = Ber.header(b, p, end, Integer.MAX_VALUE);
        if (seq < 0) {
            return -1;
        }
        int start = p + Ber.headerLength(seq);
        return (long) start << 32 | ((start + Ber.contentLength(seq)) & 0xFFFF_FFFFL);
    }

    /** The realm named by a valid message (its server realm, or the client realm of a reply), or null. */
    public static String realm(byte[] b, int off, int len, int type) {
        int end = off + len;
        long fields = body(b, off, end);
        if (fields < 0) {
            return null;
        }
        int p = (int) (fields >>> 32);
        int limit = (int) fields;
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

    /**
     * What one message says about who talks to what (read only on the events path): the client
     * principal ({@code cname}, a user name: personal data), the service principal
     * ({@code sname}), the realm, the error code of a KRB-ERROR, and the encryption types (those
     * a request offers, those a reply's ticket and enc-part use). Principals are written as
     * RFC 1964 names: components joined with '/'.
     */
    public record Details(String cname, String sname, String realm, long errorCode, java.util.List<Long> etypes) {
    }

    /** The details of a valid message of type {@code type} (see {@link #type}), as far as {@code len} bytes reach. */
    public static Details details(byte[] b, int off, int len, int type) {
        int end = off + len;
        long fields = body(b, off, end);
        if (fields < 0) {
            return null;
        }
        int p = (int) (fields >>> 32);
        int limit = (int) fields;
        String cname = null;
        String sname = null;
        long error = -1;
        java.util.List<Long> etypes = new java.util.ArrayList<>(4);
        switch (type) {
            case 10, 12 -> {
                // KDC-REQ-BODY: kdc-options [0], cname [1], realm [2], sname [3], ..., etype [8] SEQUENCE OF Int32
                int body = inner(b, Ber.find(b, p, end, limit, 0xA4), end, 0x30);
                if (body >= 0) {
                    int bodyEnd = contentEnd(b, body, end);
                    int s = body + Ber.headerLength(Ber.header(b, body, end, Integer.MAX_VALUE));
                    cname = principal(b, Ber.find(b, s, end, bodyEnd, 0xA1), end);
                    sname = principal(b, Ber.find(b, s, end, bodyEnd, 0xA3), end);
                    int list = inner(b, Ber.find(b, s, end, bodyEnd, 0xA8), end, 0x30);
                    if (list >= 0) {
                        int listEnd = contentEnd(b, list, end);
                        int q = list + Ber.headerLength(Ber.header(b, list, end, Integer.MAX_VALUE));
                        while (q < listEnd && q < end && etypes.size() < 16) {
                            long h = Ber.header(b, q, end, listEnd);
                            long v = Ber.integer(b, q, end);
                            if (h < 0 || v == Long.MIN_VALUE) {
                                break;
                            }
                            etypes.add(v);
                            q += Ber.headerLength(h) + Ber.contentLength(h);
                        }
                    }
                }
            }
            case 11, 13 -> {
                // KDC-REP: crealm [3], cname [4], ticket [5] Ticket (sname [2], enc-part [3]), enc-part [6]
                cname = principal(b, Ber.find(b, p, end, limit, 0xA4), end);
                int ticket = inner(b, Ber.find(b, p, end, limit, 0xA5), end, 0x61);
                if (ticket >= 0) {
                    int tseq = inner(b, ticket, end, 0x30);
                    if (tseq >= 0) {
                        int tEnd = contentEnd(b, tseq, end);
                        int s = tseq + Ber.headerLength(Ber.header(b, tseq, end, Integer.MAX_VALUE));
                        sname = principal(b, Ber.find(b, s, end, tEnd, 0xA2), end);
                        addEtype(etypes, b, Ber.find(b, s, end, tEnd, 0xA3), end);
                    }
                }
                addEtype(etypes, b, Ber.find(b, p, end, limit, 0xA6), end);
            }
            case 30 -> {
                // KRB-ERROR: error-code [6], crealm [7], cname [8], realm [9], sname [10]
                error = errorCode(b, off, len);
                cname = principal(b, Ber.find(b, p, end, limit, 0xA8), end);
                sname = principal(b, Ber.find(b, p, end, limit, 0xAA), end);
            }
            default -> {
                return null;
            }
        }
        return new Details(cname, sname, realm(b, off, len, type), error, etypes.isEmpty() ? null : etypes);
    }

    /** The offset of the element inside {@code [k]} at {@code q} if its tag is {@code tag}, else -1. */
    private static int inner(byte[] b, int q, int end, int tag) {
        if (q < 0) {
            return -1;
        }
        long h = Ber.header(b, q, end, Integer.MAX_VALUE);
        if (h < 0) {
            return -1;
        }
        int s = q + Ber.headerLength(h);
        return s < end && (b[s] & 0xFF) == tag && Ber.header(b, s, end, Integer.MAX_VALUE) >= 0 ? s : -1;
    }

    /** Where the element at {@code q} ends (its content may reach past {@code end}: then {@code end}). */
    private static int contentEnd(byte[] b, int q, int end) {
        long h = Ber.header(b, q, end, Integer.MAX_VALUE);
        long e = (long) q + Ber.headerLength(h) + Ber.contentLength(h);
        return (int) Math.min(e, end);
    }

    /** {@code [k] EncryptedData ::= SEQUENCE { etype [0] Int32, ... }}: adds the etype. */
    private static void addEtype(java.util.List<Long> etypes, byte[] b, int q, int end) {
        int s = inner(b, q, end, 0x30);
        if (s < 0) {
            return;
        }
        int sEnd = contentEnd(b, s, end);
        int e = inner(b, Ber.find(b, s + Ber.headerLength(Ber.header(b, s, end, Integer.MAX_VALUE)), end, sEnd, 0xA0), end, 0x02);
        if (e >= 0) {
            long v = Ber.integer(b, e, end);
            if (v != Long.MIN_VALUE) {
                etypes.add(v);
            }
        }
    }

    /**
     * {@code [k] PrincipalName ::= SEQUENCE { name-type [0] Int32, name-string [1] SEQUENCE OF
     * KerberosString }} at {@code q}: the components joined with '/' (at most 8, each printable),
     * or null.
     */
    static String principal(byte[] b, int q, int end) {
        int s = inner(b, q, end, 0x30);
        if (s < 0) {
            return null;
        }
        int sEnd = contentEnd(b, s, end);
        int names = inner(b, Ber.find(b, s + Ber.headerLength(Ber.header(b, s, end, Integer.MAX_VALUE)), end, sEnd, 0xA1), end, 0x30);
        if (names < 0) {
            return null;
        }
        int nEnd = contentEnd(b, names, end);
        int p = names + Ber.headerLength(Ber.header(b, names, end, Integer.MAX_VALUE));
        StringBuilder out = new StringBuilder();
        int k = 0;
        while (p < nEnd && k < 8) {
            long h = Ber.header(b, p, end, nEnd);
            if (h < 0 || b[p] != 0x1B) {
                return null;
            }
            int from = p + Ber.headerLength(h);
            int n = Ber.contentLength(h);
            if (n > 255 || !Ascii.allText(b, from, n)) {
                return null;
            }
            if (k++ > 0) {
                out.append('/');
            }
            out.append(Ascii.string(b, from, n, 255));
            p = from + n;
        }
        return k == 0 ? null : out.toString();
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
