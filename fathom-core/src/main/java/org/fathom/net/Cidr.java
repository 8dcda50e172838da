package org.fathom.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An address block in the 128-bit form used throughout (IPv4 held IPv4-mapped, so {@code 10.0.0.0/8}
 * is {@code ::ffff:10.0.0.0/104}, {@code bits} = 104). One parser for every address and block the
 * user writes (subscriber networks, authorisation scopes, address rules, alert thresholds).
 */
public record Cidr(long hi, long lo, int bits, String text) {

    /**
     * Parses {@code a.b.c.d/n}, an IPv6 prefix, or a single address; bits beyond the prefix are
     * cleared.
     *
     * @throws IllegalArgumentException with a message naming the bad value
     */
    public static Cidr parse(String s) {
        Cidr c = tryParse(s);
        if (c == null) {
            throw new IllegalArgumentException("'" + s.strip() + "' is not an IP address or address block (a.b.c.d/n or an IPv6 prefix)");
        }
        return c;
    }

    /** Parses an IPv4 or IPv6 literal (no host names) into {hi, lo}. */
    public static long[] parseAddress(String addr) {
        if (addr.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not an IP address: '" + addr + "'");
        }
        Cidr c = parse(addr);
        return new long[] {c.hi, c.lo};
    }

    /**
     * Like {@link #parse} but returns null for anything malformed. IPv4 is a strict dotted quad
     * (0..255, no leading zeros); IPv6 any RFC 4291 literal, an IPv4-mapped one counting its
     * prefix length over all 128 bits.
     */
    public static Cidr tryParse(String s) {
        String text = s.strip();
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        long hi;
        long lo;
        int max;
        int extra;
        if (addr.indexOf(':') < 0) {
            long v4 = parseIpv4(addr);
            if (v4 < 0) {
                return null;
            }
            hi = 0;
            lo = 0x0000_FFFF_0000_0000L | v4;
            max = 32;
            extra = 96;
        } else {
            InetAddress a;
            try {
                a = Inet6Address.ofLiteral(addr);
            } catch (IllegalArgumentException e) {
                return null;
            }
            byte[] b = a.getAddress();
            if (a instanceof Inet4Address) {
                hi = 0;
                lo = 0x0000_FFFF_0000_0000L | ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
            } else {
                hi = 0;
                lo = 0;
                for (int i = 0; i < 8; i++) {
                    hi = hi << 8 | (b[i] & 0xFFL);
                    lo = lo << 8 | (b[8 + i] & 0xFFL);
                }
            }
            max = 128;
            extra = 0;
        }
        int len = max;
        if (slash >= 0) {
            String l = text.substring(slash + 1);
            if (l.isEmpty() || l.length() > 3) {
                return null;
            }
            len = 0;
            for (int i = 0; i < l.length(); i++) {
                char c = l.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                len = len * 10 + (c - '0');
            }
            if (len > max) {
                return null;
            }
        }
        int bits = len + extra;
        return new Cidr(hi & hiMask(bits), lo & loMask(bits), bits, text);
    }

    /** Strict dotted quad ({@code 0..255} four times, no leading zeros beyond one digit), or -1. */
    private static long parseIpv4(String s) {
        long v = 0;
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (parts < 4) {
            int start = i;
            int part = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                part = part * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || part > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            v = v << 8 | part;
            parts++;
            if (parts < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == n ? v : -1;
    }

    /** The mask of the high 64 bits of an address in this block. */
    public long hiMask() {
        return hiMask(bits);
    }

    /** The mask of the low 64 bits of an address in this block. */
    public long loMask() {
        return loMask(bits);
    }

    static long hiMask(int bits) {
        return bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
    }

    static long loMask(int bits) {
        return bits <= 64 ? 0 : bits >= 128 ? -1L : -1L << (128 - bits);
    }

    public boolean contains(long ahi, long alo) {
        return (ahi & hiMask(bits)) == hi && (alo & loMask(bits)) == lo;
    }

    @Override
    public String toString() {
        return text;
    }
}
