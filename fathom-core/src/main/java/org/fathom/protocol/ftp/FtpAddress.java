package org.fathom.protocol.ftp;

import java.net.InetAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import org.fathom.wire.text.Ascii;

/**
 * Parses the data connection addresses of FTP (RFC 959 PORT and 227 replies, RFC 2428 EPRT and
 * 229 replies). Results are {@code {hi, lo, port}} with IPv4 held IPv4-mapped, or null. Never throws.
 */
final class FtpAddress {
    private FtpAddress() {}

    static final long V4_MAPPED = 0x0000FFFF00000000L;

    /** {@code h1,h2,h3,h4,p1,p2} at the first digit from {@code off} (a 227 reply or a PORT argument). */
    static long[] commaForm(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        while (p < end && !Ascii.isDigit(b[p])) {
            p++;
        }
        int[] v = new int[6];
        for (int k = 0; k < 6; k++) {
            int s = p;
            int x = 0;
            while (p < end && Ascii.isDigit(b[p]) && p - s < 3) {
                x = x * 10 + (b[p] - '0');
                p++;
            }
            if (p == s || x > 255) {
                return null;
            }
            v[k] = x;
            if (k < 5) {
                if (p >= end || b[p] != ',') {
                    return null;
                }
                p++;
            }
        }
        if (p < end && Ascii.isDigit(b[p])) {
            return null;
        }
        long ip = ((long) v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];
        int port = v[4] * 256 + v[5];
        if (port == 0) {
            return null;
        }
        return new long[] {0, V4_MAPPED | ip, port};
    }

    /** The port of {@code (|||port|)} in a 229 reply, or -1. */
    static int epsvPort(byte[] b, int off, int len) {
        int end = off + len;
        int open = -1;
        for (int i = off; i < end; i++) {
            if (b[i] == '(') {
                open = i;
                break;
            }
        }
        if (open < 0 || open + 5 > end) {
            return -1;
        }
        byte d = b[open + 1];
        if (d < 33 || d > 126 || b[open + 2] != d || b[open + 3] != d) {
            return -1;
        }
        int p = open + 4;
        int s = p;
        int port = 0;
        while (p < end && Ascii.isDigit(b[p]) && p - s < 5) {
            port = port * 10 + (b[p] - '0');
            p++;
        }
        if (p == s || p >= end || b[p] != d || port == 0 || port > 65535) {
            return -1;
        }
        return port;
    }

    /** {@code <d>proto<d>address<d>port<d>} of an EPRT argument. */
    static long[] eprt(byte[] b, int off, int len) {
        if (len < 7) {
            return null;
        }
        byte d = b[off];
        if (d < 33 || d > 126) {
            return null;
        }
        int end = off + len;
        int[] cut = new int[4];
        int k = 0;
        for (int i = off; i < end && k < 4; i++) {
            if (b[i] == d) {
                cut[k++] = i;
            }
        }
        if (k < 4) {
            return null;
        }
        int proto = Ascii.parseInt(b, cut[0] + 1, cut[1] - cut[0] - 1);
        int port = Ascii.parseInt(b, cut[2] + 1, cut[3] - cut[2] - 1);
        if ((proto != 1 && proto != 2) || port <= 0 || port > 65535) {
            return null;
        }
        int as = cut[1] + 1;
        int al = cut[2] - as;
        if (al <= 0 || al > 45) {
            return null;
        }
        for (int i = as; i < as + al; i++) {
            byte c = b[i];
            boolean ok = Ascii.isDigit(c) || c == '.' || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return null;
            }
        }
        try {
            InetAddress a = InetAddress.ofLiteral(Ascii.string(b, as, al, 45));
            byte[] raw = a.getAddress();
            if (a instanceof Inet4Address) {
                long ip = ((raw[0] & 0xFFL) << 24) | ((raw[1] & 0xFF) << 16) | ((raw[2] & 0xFF) << 8) | (raw[3] & 0xFF);
                return new long[] {0, V4_MAPPED | ip, port};
            }
            if (a instanceof Inet6Address) {
                long hi = 0;
                long lo = 0;
                for (int i = 0; i < 8; i++) {
                    hi = (hi << 8) | (raw[i] & 0xFF);
                    lo = (lo << 8) | (raw[8 + i] & 0xFF);
                }
                return new long[] {hi, lo, port};
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }
}
