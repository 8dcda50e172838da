package org.fathom.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fathom.net.Cidr;

/**
 * Names the service behind a server address by the well-known address blocks of large providers
 * (Google, Meta, Apple, Netflix, Telegram, the big clouds, ...). The longest matching prefix wins,
 * so a provider's block can carve out a more specific service from a wider one.
 *
 * <p>Addresses are 128-bit (high, low) pairs with IPv4 held IPv4-mapped ({@code ::ffff:a.b.c.d}),
 * as everywhere in Fathom, so IPv4 and IPv6 rules share one table.
 *
 * <p>Rule file format, one rule per line: {@code cidr [cidr ...] application category}, {@code #}
 * starts a comment; a cidr is {@code a.b.c.d/n} or an IPv6 prefix such as {@code 2a03:2880::/32}
 * (a bare address is a host route). Bits beyond the prefix length are ignored. A later rule for
 * the same prefix replaces the earlier one, so user files ({@code fathom analyze --addresses})
 * override the bundled {@code addresses.rules}.
 *
 * <p>Lookup: one sorted array of prefixes per prefix length present, searched longest length
 * first with a binary search; a few dozen lengths at most, so a lookup is a few hundred
 * comparisons and allocates nothing. Meant for the cold edge (once per flow at export).
 * Loading, overriding and the bundled rules work as for every {@link RuleCatalog}.
 */
public final class AddressCatalog extends RuleCatalog<AddressCatalog.Prefix, AddressCatalog.Table> {
    record Prefix(long hi, long lo, int len) { }

    /**
     * Compiled form: per prefix length (longest first), sorted network addresses for binary
     * search; {@code v4} and {@code v6} are
     * bitmaps of the 65,536 top-16-bit blocks (of IPv4, and of IPv6 outside the IPv4-mapped
     * space) that any rule reaches into: most addresses fall in no such block and are answered
     * with one bit test instead of a search per prefix length.
     */
    record Table(int[] lengths, long[][] his, long[][] los, Service[][] services, long[] v4, long[] v6) { }

    private static final Bundled<Prefix, Table, AddressCatalog> BUNDLED = new Bundled<>(AddressCatalog::new, "addresses.rules");

    /**
     * A new catalog holding the bundled rules ({@code addresses.rules}); the caller may add to it.
     * The bundled rules are parsed once per process and shared read-only: what one catalog adds
     * never reaches another.
     */
    public static AddressCatalog bundled() {
        return BUNDLED.catalog();
    }

    @Override
    Prefix key(String field, String where) {
        Prefix p = parse(field);
        if (p == null) {
            throw new IllegalArgumentException((where == null ? "" : where + ": ") + "'" + field
                    + "' is not an address block (a.b.c.d/n or an IPv6 prefix)");
        }
        return p;
    }

    @Override
    String keyName() {
        return "cidr";
    }

    /** The service of an address given as (high, low) 64-bit halves (IPv4 mapped), or null. */
    public Service lookup(long hi, long lo) {
        Table t = table();
        boolean v4 = hi == 0 && (lo >>> 32) == 0xFFFFL;
        int block = v4 ? (int) (lo >>> 16) & 0xFFFF : (int) (hi >>> 48);
        if (((v4 ? t.v4 : t.v6)[block >>> 6] & (1L << block)) == 0) {
            return null;
        }
        int[] lengths = t.lengths;
        for (int i = 0; i < lengths.length; i++) {
            int len = lengths[i];
            long mh = hi & hiMask(len);
            long ml = lo & loMask(len);
            long[] his = t.his[i];
            long[] los = t.los[i];
            int a = 0;
            int b = his.length - 1;
            while (a <= b) {
                int m = (a + b) >>> 1;
                int c = compare(his[m], los[m], mh, ml);
                if (c < 0) {
                    a = m + 1;
                } else if (c > 0) {
                    b = m - 1;
                } else {
                    return t.services[i][m];
                }
            }
        }
        return null;
    }

    /** The service of an address in text form ({@code 8.8.8.8}, {@code 2001:4860::8888}), or null. */
    @Override
    public Service lookup(String address) {
        Prefix p = parse(address);
        return p == null ? null : lookup(p.hi, p.lo);
    }

    @Override
    Table compile(Map<Prefix, Service> rules) {
        int[] count = new int[129];
        for (Prefix p : rules.keySet()) {
            count[p.len]++;
        }
        List<Integer> lens = new ArrayList<>();
        for (int len = 128; len >= 0; len--) {
            if (count[len] > 0) {
                lens.add(len);
            }
        }
        int n = lens.size();
        int[] lengths = new int[n];
        long[][] his = new long[n][];
        long[][] los = new long[n][];
        Service[][] services = new Service[n][];
        for (int i = 0; i < n; i++) {
            int len = lens.get(i);
            lengths[i] = len;
            List<Map.Entry<Prefix, Service>> of = new ArrayList<>(count[len]);
            for (Map.Entry<Prefix, Service> e : rules.entrySet()) {
                if (e.getKey().len == len) {
                    of.add(e);
                }
            }
            of.sort((x, y) -> compare(x.getKey().hi, x.getKey().lo, y.getKey().hi, y.getKey().lo));
            his[i] = new long[of.size()];
            los[i] = new long[of.size()];
            services[i] = new Service[of.size()];
            for (int j = 0; j < of.size(); j++) {
                his[i][j] = of.get(j).getKey().hi;
                los[i][j] = of.get(j).getKey().lo;
                services[i][j] = of.get(j).getValue();
            }
        }
        long[] v4 = new long[1024];
        long[] v6 = new long[1024];
        for (Prefix p : rules.keySet()) {
            // IPv4: the rule covers all of the IPv4-mapped space, or the blocks of its IPv4 prefix
            if (p.len <= 96 && ((0xFFFFL << 32) & loMask(p.len)) == p.lo && p.hi == 0) {
                setBlocks(v4, 0, 1 << 16);
            } else if (p.len > 96 && p.hi == 0 && (p.lo >>> 32) == 0xFFFFL) {
                int v4len = p.len - 96;
                setBlocks(v4, (int) (p.lo >>> 16) & 0xFFFF, v4len >= 16 ? 1 : 1 << (16 - v4len));
            }
            // IPv6 outside the mapped space: the rule's blocks (IPv4 rules land in block 0, harmlessly)
            setBlocks(v6, (int) (p.hi >>> 48), p.len >= 16 ? 1 : 1 << (16 - p.len));
        }
        return new Table(lengths, his, los, services, v4, v6);
    }

    private static void setBlocks(long[] bits, int from, int count) {
        for (int b = from; b < from + count && b < 1 << 16; b++) {
            bits[b >>> 6] |= 1L << b;
        }
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static long hiMask(int len) {
        return len >= 64 ? -1L : len == 0 ? 0L : -1L << (64 - len);
    }

    private static long loMask(int len) {
        return len <= 64 ? 0L : len == 128 ? -1L : -1L << (128 - len);
    }

    /** Parses {@code a.b.c.d[/n]} or {@code v6[/n]} into a masked prefix (IPv4 mapped), or null. */
    static Prefix parse(String text) {
        Cidr c = Cidr.tryParse(text);
        return c == null ? null : new Prefix(c.hi(), c.lo(), c.bits());
    }

    // for tests: the number of distinct prefix lengths
    int lengths() {
        return table().lengths.length;
    }
}
