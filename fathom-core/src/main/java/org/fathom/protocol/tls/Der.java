package org.fathom.protocol.tls;

/**
 * A minimal DER (ITU-T X.690) reader over a byte range: enough to walk an X.509 certificate.
 * {@link #next} reads one element's header; a malformed element (indefinite or too long length,
 * running past the range) makes it return false. It never throws and never allocates.
 */
final class Der {
    final byte[] b;
    int pos;
    final int end;
    /** The element just read: tag byte, value start and value end. */
    int tag;
    int valueStart;
    int valueEnd;

    Der(byte[] b, int off, int end) {
        this.b = b;
        this.pos = off;
        this.end = Math.min(end, b.length);
    }

    /** A reader over the value of the element just read. */
    Der inside() {
        return new Der(b, valueStart, valueEnd);
    }

    boolean hasNext() {
        return pos < end;
    }

    /** Reads the next element's header and moves past the element. */
    boolean next() {
        if (pos + 2 > end) {
            return false;
        }
        int t = b[pos] & 0xFF;
        if ((t & 0x1F) == 0x1F) {
            return false; // high tag numbers are not used in certificates
        }
        int p = pos + 1;
        int l = b[p++] & 0xFF;
        if (l >= 0x80) {
            int n = l & 0x7F;
            if (n == 0 || n > 3 || p + n > end) {
                return false;
            }
            l = 0;
            for (int i = 0; i < n; i++) {
                l = (l << 8) | (b[p++] & 0xFF);
            }
        }
        if (l > end - p) {
            return false;
        }
        tag = t;
        valueStart = p;
        valueEnd = p + l;
        pos = valueEnd;
        return true;
    }

    /** Reads the next element and checks its tag. */
    boolean next(int expectedTag) {
        return next() && tag == expectedTag;
    }

    int length() {
        return valueEnd - valueStart;
    }

    /** Whether the value just read equals {@code oid} (the encoded OID body). */
    boolean valueEquals(byte[] oid) {
        return length() == oid.length && java.util.Arrays.equals(b, valueStart, valueEnd, oid, 0, oid.length);
    }
}
