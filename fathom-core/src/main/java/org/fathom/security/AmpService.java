package org.fathom.security;

/** UDP services abused for reflection/amplification. */
final class AmpService {
    private AmpService() {}

    static final int[] PORTS = {53, 123, 1900, 11211, 389, 161, 19, 3702};
    static final String[] NAMES = {"dns", "ntp", "ssdp", "memcached", "cldap", "snmp", "chargen", "ws-discovery"};
    /** The first KINDS services have an alert kind of their own; the rest report as udp_flood with a detail. */
    static final int KINDS = 6;

    static int index(int port) {
        for (int i = 0; i < PORTS.length; i++) {
            if (PORTS[i] == port) return i;
        }
        return -1;
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
