package org.fathom.protocol;

/**
 * What the engine must know about a dissector before calling it.
 *
 * @param name       protocol name in nDPI's spelling ({@code TLS}, {@code DNS}, {@code FTP_CONTROL})
 * @param category   nDPI category name ({@code Web}, {@code Network}, {@code VoIP}, ...)
 * @param transports {@link #TCP}, {@link #UDP} or both
 * @param tcpPorts   well-known TCP ports: these flows are offered to this dissector first, and
 *                   an unrecognised flow on such a port falls back to this protocol by port
 * @param udpPorts   the same for UDP
 * @param probeDepth payload packets per direction after which an undecided dissector is dropped
 */
public record Descriptor(String name, String category, int transports, int[] tcpPorts, int[] udpPorts, int probeDepth) {
    public static final int TCP = 1;
    public static final int UDP = 2;
    public static final int BOTH = TCP | UDP;
    public static final int DEFAULT_PROBE_DEPTH = 8;

    public static Descriptor tcp(String name, String category, int... ports) {
        return new Descriptor(name, category, TCP, ports, new int[0], DEFAULT_PROBE_DEPTH);
    }

    public static Descriptor udp(String name, String category, int... ports) {
        return new Descriptor(name, category, UDP, new int[0], ports, DEFAULT_PROBE_DEPTH);
    }

    public static Descriptor both(String name, String category, int[] tcpPorts, int[] udpPorts) {
        return new Descriptor(name, category, BOTH, tcpPorts, udpPorts, DEFAULT_PROBE_DEPTH);
    }

    public Descriptor withProbeDepth(int depth) {
        return new Descriptor(name, category, transports, tcpPorts, udpPorts, depth);
    }
}
