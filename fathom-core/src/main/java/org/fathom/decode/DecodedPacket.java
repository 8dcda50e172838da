package org.fathom.decode;

/**
 * The decoder's output for one packet, reused for every packet: addresses of the innermost IP
 * header, L4 ports and flags, and where the L4 payload lies. IPv4 addresses are held as
 * IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) so that one 128-bit form serves both families.
 */
public final class DecodedPacket {
    public int ipVersion;
    public long srcHi, srcLo, dstHi, dstLo;
    public int l4;
    public int srcPort, dstPort;
    public int tcpFlags;
    public int tcpSeq, tcpAck;
    /** TCP window field as sent (not scaled). */
    public int tcpWindow;
    public int icmpType, icmpCode;
    public int ttl;
    /** Innermost VLAN id, 0 when untagged. */
    public int vlan;
    /** Outermost tunnel ({@link Tunnel}), NONE when the addresses are the outer ones. */
    public int tunnel;
    /** Buffer that holds the L4 payload: the packet's frame, or the reassembly buffer. */
    public byte[] buf;
    public int payloadOffset;
    public int payloadLength;
    /** Frames this packet stands for (more than one for a reassembled datagram). */
    public int frames;
    /** Wire bytes of those frames. */
    public long wireBytes;
    public long timestampNanos;
    /** Set when some header was inconsistent but the packet could still be keyed. */
    public boolean malformed;

    void reset() {
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        l4 = 0;
        srcPort = dstPort = 0;
        tcpFlags = 0;
        tcpSeq = tcpAck = 0;
        tcpWindow = 0;
        icmpType = icmpCode = 0;
        ttl = 0;
        vlan = 0;
        tunnel = Tunnel.NONE;
        buf = null;
        payloadOffset = payloadLength = 0;
        frames = 1;
        wireBytes = 0;
        malformed = false;
    }

    public static final int TCP_FIN = 0x01;
    public static final int TCP_SYN = 0x02;
    public static final int TCP_RST = 0x04;
    public static final int TCP_PSH = 0x08;
    public static final int TCP_ACK = 0x10;
    public static final int TCP_URG = 0x20;
    public static final int TCP_ECE = 0x40;
    public static final int TCP_CWR = 0x80;
}
