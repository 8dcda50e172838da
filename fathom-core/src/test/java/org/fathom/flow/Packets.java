package org.fathom.flow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.IpProtocol;

/** Builds decoded packets for flow table tests (as the decoder would leave them). */
final class Packets {
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;

    static final int SYN = DecodedPacket.TCP_SYN;
    static final int ACK = DecodedPacket.TCP_ACK;
    static final int FIN = DecodedPacket.TCP_FIN;
    static final int RST = DecodedPacket.TCP_RST;
    static final int PSH = DecodedPacket.TCP_PSH;

    private Packets() {}

    /** High half of an address literal, IPv4 held IPv4-mapped. */
    static long hi(String ip) {
        byte[] b = bytes16(ip);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    static long lo(String ip) {
        byte[] b = bytes16(ip);
        long v = 0;
        for (int i = 8; i < 16; i++) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    private static byte[] bytes16(String ip) {
        byte[] a;
        try {
            a = InetAddress.getByName(ip).getAddress(); // literals only: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
        if (a.length == 16) {
            return a;
        }
        byte[] m = new byte[16];
        m[10] = m[11] = (byte) 0xFF;
        System.arraycopy(a, 0, m, 12, 4);
        return m;
    }

    static DecodedPacket packet(int l4, String src, int sp, String dst, int dp) {
        DecodedPacket d = new DecodedPacket();
        d.ipVersion = src.contains(":") ? 6 : 4;
        d.srcHi = hi(src);
        d.srcLo = lo(src);
        d.dstHi = hi(dst);
        d.dstLo = lo(dst);
        d.l4 = l4;
        d.srcPort = sp;
        d.dstPort = dp;
        d.frames = 1;
        d.wireBytes = 60;
        return d;
    }

    static DecodedPacket tcp(String src, int sp, String dst, int dp, int flags) {
        DecodedPacket d = packet(IpProtocol.TCP, src, sp, dst, dp);
        d.tcpFlags = flags;
        return d;
    }

    static DecodedPacket udp(String src, int sp, String dst, int dp) {
        return packet(IpProtocol.UDP, src, sp, dst, dp);
    }

    /** The same packet in the other direction (flags, sizes and time copied). */
    static DecodedPacket reverse(DecodedPacket p) {
        DecodedPacket d = copy(p);
        d.srcHi = p.dstHi;
        d.srcLo = p.dstLo;
        d.dstHi = p.srcHi;
        d.dstLo = p.srcLo;
        d.srcPort = p.dstPort;
        d.dstPort = p.srcPort;
        return d;
    }

    static DecodedPacket copy(DecodedPacket p) {
        DecodedPacket d = new DecodedPacket();
        d.ipVersion = p.ipVersion;
        d.srcHi = p.srcHi;
        d.srcLo = p.srcLo;
        d.dstHi = p.dstHi;
        d.dstLo = p.dstLo;
        d.l4 = p.l4;
        d.srcPort = p.srcPort;
        d.dstPort = p.dstPort;
        d.tcpFlags = p.tcpFlags;
        d.vlan = p.vlan;
        d.tunnel = p.tunnel;
        d.frames = p.frames;
        d.wireBytes = p.wireBytes;
        d.timestampNanos = p.timestampNanos;
        return d;
    }

    static DecodedPacket at(DecodedPacket p, long nanos) {
        p.timestampNanos = nanos;
        return p;
    }

    static DecodedPacket flags(DecodedPacket p, int flags) {
        p.tcpFlags = flags;
        return p;
    }

    static DecodedPacket wire(DecodedPacket p, long bytes) {
        p.wireBytes = bytes;
        return p;
    }

    static DecodedPacket vlan(DecodedPacket p, int vlan) {
        p.vlan = vlan;
        return p;
    }
}
