package org.fathom.protocol.tls;

/** GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ..., 0xfafa, reserved to keep peers tolerant. */
public final class Grease {
    private Grease() {}

    public static boolean is(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >>> 8) == (v & 0xff);
    }
}
