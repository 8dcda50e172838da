package org.fathom.protocol.ldap;

import org.fathom.wire.frames.Ber;

/**
 * Checks the outer structure of an LDAPMessage (RFC 4511 section 4.1.1): {@code SEQUENCE {
 * messageID INTEGER (0..2^31-1), protocolOp [APPLICATION n], controls [0] OPTIONAL }} with every
 * length consistent. Never throws.
 */
public final class LdapMessage {
    private LdapMessage() {}

    /** The total length of the message whose first six bytes are at {@code b[o]}, or -1. */
    public static int length(byte[] b, int o) {
        if (b[o] != 0x30) {
            return -1;
        }
        long h = Ber.header(b, o, o + 6, Integer.MAX_VALUE);
        if (h < 0) {
            return -1;
        }
        long total = Ber.headerLength(h) + (long) Ber.contentLength(h);
        return total < 7 || total > (1 << 24) ? -1 : (int) total;
    }

    /**
     * The protocolOp number of the message at {@code b[o..o+n)} (n being all of it, or the first
     * {@code n} bytes of a message of {@code full} bytes), or -1 if it is not an LDAPMessage.
     * When {@code simpleBind} is given, its first element is set to 1 for a simple bind with a
     * non-empty password.
     */
    public static int op(byte[] b, int o, int n, int full, int[] simpleBind) {
        int end = o + n;
        int limit = o + full;
        if (n < 7 || b[o] != 0x30) {
            return -1;
        }
        long seq = Ber.header(b, o, end, Integer.MAX_VALUE);
        if (seq < 0 || Ber.headerLength(seq) + (long) Ber.contentLength(seq) != full) {
            return -1;
        }
        int p = o + Ber.headerLength(seq);
        long id = Ber.integer(b, p, end);
        if (id == Long.MIN_VALUE || id < 0) {
            return -1;
        }
        long ih = Ber.header(b, p, end, limit);
        p += Ber.headerLength(ih) + Ber.contentLength(ih);
        if (p >= end) {
            return -1;
        }
        int tag = b[p] & 0xFF;
        int num = tag & 0x1F;
        boolean constructed = (tag & 0xE0) == 0x60;
        boolean primitive = (tag & 0xE0) == 0x40;
        boolean ok = constructed && validConstructed(num) || primitive && (num == 2 || num == 10 || num == 16);
        if (!ok) {
            return -1;
        }
        long oh = Ber.header(b, p, end, limit);
        if (oh < 0) {
            return -1;
        }
        int opEnd = p + Ber.headerLength(oh) + Ber.contentLength(oh);
        if (opEnd != limit) {
            // only controls [0] may follow the operation
            if (opEnd > limit) {
                return -1;
            }
            if (opEnd >= end) {
                return n < full ? num : -1; // the rest was not held
            }
            if ((b[opEnd] & 0xFF) != 0xA0) {
                return -1;
            }
            long ch = Ber.header(b, opEnd, end, limit);
            if (ch < 0 || opEnd + Ber.headerLength(ch) + Ber.contentLength(ch) != limit) {
                return -1;
            }
        }
        if (num == 0 && constructed && simpleBind != null) {
            // BindRequest: version INTEGER, name OCTET STRING, authentication CHOICE { simple [0] ... }
            int q = p + Ber.headerLength(oh);
            long v = Ber.integer(b, q, end);
            if (v < 1 || v > 3) {
                return -1;
            }
            long vh = Ber.header(b, q, end, opEnd);
            q += Ber.headerLength(vh) + Ber.contentLength(vh);
            if (q < end && b[q] == 0x04) {
                long nh = Ber.header(b, q, end, opEnd);
                if (nh >= 0) {
                    q += Ber.headerLength(nh) + Ber.contentLength(nh);
                    if (q < end && (b[q] & 0xFF) == 0x80) {
                        long ph = Ber.header(b, q, end, opEnd);
                        if (ph >= 0 && Ber.contentLength(ph) > 0) {
                            simpleBind[0] = 1;
                        }
                    }
                }
            }
        }
        return num;
    }

    private static boolean validConstructed(int n) {
        return (n >= 0 && n <= 15 && n != 2 && n != 10) || n == 19 || n == 23 || n == 24 || n == 25;
    }

    static String opName(int n) {
        return switch (n) {
            case 0 -> "bindRequest";
            case 1 -> "bindResponse";
            case 2 -> "unbindRequest";
            case 3 -> "searchRequest";
            case 4 -> "searchResEntry";
            case 5 -> "searchResDone";
            case 6 -> "modifyRequest";
            case 7 -> "modifyResponse";
            case 8 -> "addRequest";
            case 9 -> "addResponse";
            case 10 -> "delRequest";
            case 11 -> "delResponse";
            case 12 -> "modDNRequest";
            case 13 -> "modDNResponse";
            case 14 -> "compareRequest";
            case 15 -> "compareResponse";
            case 16 -> "abandonRequest";
            case 19 -> "searchResRef";
            case 23 -> "extendedReq";
            case 24 -> "extendedResp";
            case 25 -> "intermediateResponse";
            default -> null;
        };
    }
}
