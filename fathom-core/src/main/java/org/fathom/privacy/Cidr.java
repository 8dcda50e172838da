package org.fathom.privacy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block in the 128-bit form used throughout (IPv4 held IPv4-mapped, so {@code 10.0.0.0/8}
 * is {@code ::ffff:10.0.0.0/104}).
 */
public record Cidr(long hi, long lo, int bits, String text) {

    /**
     * Parses {@code a.b.c.d/n}, {@code x::y/n} or a single address.
     *
     * @throws IllegalArgumentException with a message naming the bad value
     */
    public static Cidr parse(String s) {
        String t = s.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        long[] a = parseAddress(addr);
        boolean v4 = addr.indexOf(':') < 0;
        int max = v4 ? 32 : 128;
        int len = max;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + s + "'");
            }
            if (len < 0 || len > max) {
                throw new IllegalArgumentException("prefix length out of range in '" + s + "'");
            }
        }
        int bits = v4 ? 96 + len : len;
        long[] m = mask(bits);
        return new Cidr(a[0] & m[0], a[1] & m[1], bits, t);
    }

    /** Parses an IPv4 or IPv6 literal (no host names) into {hi, lo}. */
    public static long[] parseAddress(String addr) {
        if (addr.isEmpty() || !(addr.indexOf(':') >= 0 || addr.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            throw new IllegalArgumentException("not an IP address: '" + addr + "'");
        }
        if (addr.indexOf(':') < 0 && addr.chars().filter(c -> c == '.').count() != 3) {
            throw new IllegalArgumentException("not an IP address: '" + addr + "'");
        }
        byte[] b;
        try {
            b = InetAddress.getByName(addr).getAddress(); // literal only: no lookup for these forms
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException("not an IP address: '" + addr + "'");
        }
        if (b.length == 4) {
            long v = (b[0] & 0xFFL) << 24 | (b[1] & 0xFFL) << 16 | (b[2] & 0xFFL) << 8 | (b[3] & 0xFFL);
            return new long[] {0, 0x0000_FFFF_0000_0000L | v};
        }
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (b[i] & 0xFF);
            lo = lo << 8 | (b[i + 8] & 0xFF);
        }
        return new long[] {hi, lo};
    }

    static long[] mask(int bits) {
        long mh = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
        long ml = bits <= 64 ? 0 : bits >= 128 ? -1L : -1L << (128 - bits);
        return new long[] {mh, ml};
    }

    public boolean contains(long ahi, long alo) {
        long mh = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
        long ml = bits <= 64 ? 0 : bits >= 128 ? -1L : -1L << (128 - bits);
        return (ahi & mh) == hi && (alo & ml) == lo;
    }

    @Override
    public String toString() {
        return text;
    }
}
