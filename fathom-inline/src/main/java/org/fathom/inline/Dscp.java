package org.fathom.inline;

/**
 * Rewrites the DSCP of a raw IP packet in place (RFC 2474): the upper six bits of the IPv4 TOS
 * byte, with the header checksum updated, or of the IPv6 traffic class (no header checksum). The
 * two ECN bits (RFC 3168) are kept. Neither field is in the TCP/UDP pseudo-header, so transport
 * checksums stay valid.
 *
 * <p>The IPv4 checksum is updated incrementally (RFC 1624, eqn. 3: {@code HC' = ~(~HC + ~m + m')}
 * over the 16-bit word holding the TOS byte), as routers do: a correct checksum stays correct, and a
 * damaged one is not silently repaired. No allocation.
 */
public final class Dscp {
    /** Expedited Forwarding (RFC 3246): what {@code prioritise} sets unless a rule says otherwise. */
    public static final int EF = 46;

    /** {@link #set} results. */
    public static final int CHANGED = 1;
    public static final int UNCHANGED = 0;
    /** Not an IPv4 or IPv6 packet, or too short for its header. */
    public static final int NOT_IP = -1;

    private Dscp() {}

    /**
     * Sets the DSCP of the IP packet at {@code buf[off..off+len)} to {@code dscp} (0..63).
     *
     * @return {@link #CHANGED}, {@link #UNCHANGED} (it had that DSCP already) or {@link #NOT_IP}
     */
    public static int set(byte[] buf, int off, int len, int dscp) {
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("DSCP must be 0..63, not " + dscp);
        }
        if (len < 1) {
            return NOT_IP;
        }
        int version = (buf[off] & 0xff) >>> 4;
        if (version == 4) {
            int ihl = (buf[off] & 0x0f) * 4;
            if (len < 20 || ihl < 20 || ihl > len) {
                return NOT_IP;
            }
            int tos = buf[off + 1] & 0xff;
            int nt = dscp << 2 | (tos & 0x03);
            if (nt == tos) {
                return UNCHANGED;
            }
            int oldWord = (buf[off] & 0xff) << 8 | tos;
            int newWord = (buf[off] & 0xff) << 8 | nt;
            int hc = (buf[off + 10] & 0xff) << 8 | (buf[off + 11] & 0xff);
            int sum = (~hc & 0xffff) + (~oldWord & 0xffff) + newWord;
            sum = (sum & 0xffff) + (sum >>> 16);
            sum = (sum & 0xffff) + (sum >>> 16);
            int nhc = ~sum & 0xffff;
            buf[off + 1] = (byte) nt;
            buf[off + 10] = (byte) (nhc >>> 8);
            buf[off + 11] = (byte) nhc;
            return CHANGED;
        }
        if (version == 6) {
            if (len < 40) {
                return NOT_IP;
            }
            int b0 = buf[off] & 0xff;
            int b1 = buf[off + 1] & 0xff;
            int tc = (b0 & 0x0f) << 4 | b1 >>> 4;
            int nt = dscp << 2 | (tc & 0x03);
            if (nt == tc) {
                return UNCHANGED;
            }
            buf[off] = (byte) (0x60 | nt >>> 4);
            buf[off + 1] = (byte) ((nt & 0x0f) << 4 | (b1 & 0x0f));
            return CHANGED;
        }
        return NOT_IP;
    }

    /** The DSCP of the IP packet at {@code buf[off..]}, or -1 when it is not IPv4/IPv6. */
    public static int get(byte[] buf, int off, int len) {
        if (len < 2) {
            return -1;
        }
        int version = (buf[off] & 0xff) >>> 4;
        if (version == 4) {
            return (buf[off + 1] & 0xff) >>> 2;
        }
        if (version == 6) {
            return ((buf[off] & 0x0f) << 4 | (buf[off + 1] & 0xff) >>> 4) >>> 2;
        }
        return -1;
    }

    /** The ones'-complement sum check of an IPv4 header: true when its checksum is right. */
    public static boolean ipv4ChecksumValid(byte[] buf, int off) {
        int ihl = (buf[off] & 0x0f) * 4;
        return checksum(buf, off, ihl) == 0;
    }

    /** The Internet checksum (RFC 1071) of {@code buf[off..off+len)}, as it would be written. */
    public static int checksum(byte[] buf, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += (buf[off + i] & 0xff) << 8 | (buf[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (buf[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
