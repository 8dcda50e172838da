package org.fathom.capture;

/** LINKTYPE_* values from the tcpdump.org link-layer header registry that Fathom decodes. */
public final class LinkType {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int PPP = 9;
    public static final int RAW_12 = 12;     // DLT_RAW on some BSDs
    public static final int RAW_14 = 14;     // DLT_RAW on OpenBSD
    public static final int PPP_HDLC = 50;
    public static final int RAW = 101;
    public static final int C_HDLC = 104;
    public static final int IEEE802_11 = 105;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IEEE802_11_RADIOTAP = 127;
    public static final int PPI = 192;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int NFLOG = 239;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {}

    /** A short human name for summaries and warnings. */
    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "NULL/loopback";
            case ETHERNET -> "Ethernet";
            case PPP -> "PPP";
            case RAW_12, RAW_14, RAW -> "raw IP";
            case PPP_HDLC -> "PPP in HDLC";
            case C_HDLC -> "Cisco HDLC";
            case IEEE802_11 -> "802.11";
            case LOOP -> "OpenBSD loopback";
            case LINUX_SLL -> "Linux cooked (SLL)";
            case IEEE802_11_RADIOTAP -> "802.11 radiotap";
            case PPI -> "PPI";
            case IPV4 -> "raw IPv4";
            case IPV6 -> "raw IPv6";
            case NFLOG -> "Linux NFLOG";
            case LINUX_SLL2 -> "Linux cooked v2 (SLL2)";
            default -> "link type " + linkType;
        };
    }
}
