package org.fathom.decode;

/** Outer encapsulations whose inner addresses key the flow; the name goes into {@code tunnel}. */
public final class Tunnel {
    public static final int NONE = 0;
    public static final int GRE = 1;
    public static final int GTP = 2;
    public static final int VXLAN = 3;
    public static final int CAPWAP = 4;
    public static final int TZSP = 5;
    public static final int IP_IN_IP = 6;
    public static final int COUNT = 7;

    private static final String[] NAMES = {null, "GRE", "GTP", "VXLAN", "CAPWAP", "TZSP", "IP-in-IP"};

    private Tunnel() {}

    /** The record name of a tunnel, or null for {@link #NONE}. */
    public static String name(int tunnel) {
        return tunnel > 0 && tunnel < COUNT ? NAMES[tunnel] : null;
    }
}
