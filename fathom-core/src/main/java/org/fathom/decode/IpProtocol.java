package org.fathom.decode;

/** IP protocol numbers and the names flow records use for them (nDPI's spelling). */
public final class IpProtocol {
    public static final int HOPOPT = 0;
    public static final int ICMP = 1;
    public static final int IGMP = 2;
    public static final int IPIP = 4;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int IPV6 = 41;
    public static final int IPV6_ROUTE = 43;
    public static final int IPV6_FRAG = 44;
    public static final int GRE = 47;
    public static final int ESP = 50;
    public static final int AH = 51;
    public static final int ICMPV6 = 58;
    public static final int IPV6_NONXT = 59;
    public static final int IPV6_OPTS = 60;
    public static final int OSPF = 89;
    public static final int PIM = 103;
    public static final int VRRP = 112;
    public static final int PGM = 113;
    public static final int SCTP = 132;
    public static final int MOBILITY = 135;
    public static final int HIP = 139;
    public static final int SHIM6 = 140;

    private static final String[] NAMES = new String[256];

    static {
        for (int i = 0; i < 256; i++) {
            NAMES[i] = Integer.toString(i);
        }
        NAMES[ICMP] = "ICMP";
        NAMES[IGMP] = "IGMP";
        NAMES[TCP] = "TCP";
        NAMES[UDP] = "UDP";
        NAMES[GRE] = "GRE";
        NAMES[ESP] = "ESP";
        NAMES[AH] = "AH";
        NAMES[ICMPV6] = "ICMPV6";
        NAMES[OSPF] = "OSPF";
        NAMES[PIM] = "PIM";
        NAMES[VRRP] = "VRRP";
        NAMES[PGM] = "PGM";
        NAMES[SCTP] = "SCTP";
    }

    private IpProtocol() {}

    /** {@code TCP}, {@code UDP}, {@code ICMPV6}, … or the decimal number. */
    public static String name(int proto) {
        return NAMES[proto & 0xFF];
    }

    /** Whether flows of this protocol are keyed by ports. */
    public static boolean hasPorts(int proto) {
        return proto == TCP || proto == UDP || proto == SCTP;
    }
}
