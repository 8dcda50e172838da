package org.fathom.security;

/** UDP services abused for reflection/amplification. */
final class AmpService {
    private AmpService() {}

    static final int[] PORTS = {53, 123, 1900, 11211, 389, 161, 19, 3702};
    static final String[] NAMES = {"dns", "ntp", "ssdp", "memcached", "cldap", "snmp", "chargen", "ws-discovery"};
    /** The first KINDS services have an alert kind of their own; the rest report as udp_flood with a detail. */
    static final int KINDS = 6;

    /** The index of {@code port} in {@link #PORTS}, or -1; a switch (one lookup per UDP packet to a tracked destination, not a loop). */
    static int index(int port) {
        return switch (port) {
            case 53 -> 0;
            case 123 -> 1;
            case 1900 -> 2;
            case 11211 -> 3;
            case 389 -> 4;
            case 161 -> 5;
            case 19 -> 6;
            case 3702 -> 7;
            default -> -1;
        };
    }

    static String kind(int port) {
        int i = index(port);
        return i < 0 ? "udp_flood" : i < KINDS ? NAMES[i] + "_amplification" : "udp_flood";
    }

    static String name(int port) {
        int i = index(port);
        return i < 0 ? String.valueOf(port) : NAMES[i];
    }
}
