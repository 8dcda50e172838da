package org.fathom.wire.frames;

/**
 * Minimal reader of BER/DER tag-length headers (ASN.1, X.690) for the protocols that use them
 * (Kerberos, LDAP). Only single-byte tags and definite lengths of up to four bytes are accepted:
 * everything else answers -1. Nothing allocates.
 */
public final class Ber {
    private Ber() {}

    /**
     * Reads the header at {@code b[p]} (not past {@code end}). Returns the header length (tag and
     * length bytes) packed with the content length as {@code (contentLength << 8) | headerLength},
     * or -1 when the header is truncated, uses an unsupported form, or its content does not fit
     * before {@code limit}.
     */
    public static long header(byte[] b, int p, int end, int limit) {
        if (p + 2 > end) {
            return -1;
        }
        if ((b[p] & 0x1F) == 0x1F) {
            return -1; // multi-byte tag
        }
        int l = b[p + 1] & 0xFF;
        int h = 2;
        long clen;
        if (l < 0x80) {
            clen = l;
        } else {
            int k = l & 0x7F;
            if (k == 0 || k > 4 || p + 2 + k > end) {
                return -1; // indefinite, too long, or truncated
            }
            clen = 0;
            for (int i = 0; i < k; i++) {
                clen = (clen << 8) | (b[p + 2 + i] & 0xFF);
            }
            h += k;
        }
        if (p + h + clen > limit) {
            return -1;
        }
        return (clen << 8) | h;
    }

    public static int headerLength(long hdr) {
        return (int) (hdr & 0xFF);
    }

    public static int contentLength(long hdr) {
        return (int) (hdr >>> 8);
    }

    /**
     * Finds the element with tag {@code tag} among the elements laid one after the other in
     * {@code b[p..limit)}; returns its offset, or -1. Stops at {@code end} (the bytes actually held).
     */
    public static int find(byte[] b, int p, int end, int limit, int tag) {
        int guard = 0;
        while (p < Math.min(end, limit) && guard++ < 64) {
            long h = header(b, p, end, limit);
            if (h < 0) {
                return -1;
            }
            if ((b[p] & 0xFF) == tag) {
                return p;
            }
            p += headerLength(h) + contentLength(h);
        }
        return -1;
    }

    /** The value of a small INTEGER (up to 4 content bytes) at {@code p}, or {@code Long.MIN_VALUE}. */
    public static long integer(byte[] b, int p, int end) {
        if (p >= end || b[p] != 0x02) {
            return Long.MIN_VALUE;
        }
        long h = header(b, p, end, end);
        if (h < 0) {
            return Long.MIN_VALUE;
        }
        int n = contentLength(h);
        if (n < 1 || n > 4) {
            return Long.MIN_VALUE;
        }
        int q = p + headerLength(h);
        long v = b[q]; // sign-extended first byte
        for (int i = 1; i < n; i++) {
            v = (v << 8) | (b[q + i] & 0xFF);
        }
        return v;
    }
}
