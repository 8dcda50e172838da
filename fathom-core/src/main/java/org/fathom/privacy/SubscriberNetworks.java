package org.fathom.privacy;

import java.util.ArrayList;
import java.util.List;
import org.fathom.net.Cidr;

/**
 * The address blocks whose addresses are subscribers' (personal data). Servers outside them stay
 * visible. Default: RFC 1918, carrier-grade NAT 100.64.0.0/10, IPv6 unique-local fc00::/7 and
 * link-local fe80::/10.
 */
public final class SubscriberNetworks {
    public static final String DEFAULT_TEXT = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7,fe80::/10";
    public static final SubscriberNetworks DEFAULT = parse(DEFAULT_TEXT);
    public static final SubscriberNetworks NONE = new SubscriberNetworks(List.of());

    private final List<Cidr> networks;
    /** Per block: network high and low words, then their masks (asked twice for every flow that ends). */
    private final long[] table;

    public SubscriberNetworks(List<Cidr> networks) {
        this.networks = List.copyOf(networks);
        table = new long[this.networks.size() * 4];
        for (int i = 0; i < this.networks.size(); i++) {
            Cidr c = this.networks.get(i);
            table[4 * i] = c.hi();
            table[4 * i + 1] = c.lo();
            table[4 * i + 2] = c.hiMask();
            table[4 * i + 3] = c.loMask();
        }
    }

    public List<Cidr> networks() {
        return networks;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubscriberNetworks s && s.networks.equals(networks);
    }

    @Override
    public int hashCode() {
        return networks.hashCode();
    }

    /** {@code none}, or a comma-separated list of CIDR blocks. */
    public static SubscriberNetworks parse(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("none")) {
            return NONE;
        }
        List<Cidr> l = new ArrayList<>();
        for (String part : t.split(",")) {
            if (!part.isBlank()) {
                l.add(Cidr.parse(part));
            }
        }
        if (l.isEmpty()) {
            throw new IllegalArgumentException("no subscriber network given (use 'none' for a capture without subscribers)");
        }
        return new SubscriberNetworks(l);
    }

    public boolean contains(long hi, long lo) {
        long[] t = table;
        for (int i = 0; i < t.length; i += 4) {
            if ((hi & t[i + 2]) == t[i] && (lo & t[i + 3]) == t[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** The block holding the address (for aggregation by segment), or null. */
    public Cidr segmentOf(long hi, long lo) {
        for (Cidr c : networks) {
            if (c.contains(hi, lo)) {
                return c;
            }
        }
        return null;
    }

    /** Default blocks that this configuration leaves out (narrowing the default is audited). */
    public List<Cidr> narrowing() {
        List<Cidr> missing = new ArrayList<>();
        for (Cidr d : DEFAULT.networks) {
            boolean covered = false;
            for (Cidr c : networks) {
                if (c.bits() <= d.bits() && c.contains(d.hi(), d.lo())) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                missing.add(d);
            }
        }
        return missing;
    }

    @Override
    public String toString() {
        if (networks.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Cidr c : networks) {
            sb.append(sb.isEmpty() ? "" : ",").append(c.text());
        }
        return sb.toString();
    }
}
