package org.fathom.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a whole IP packet (as {@link FrameBuilder} encodes it, without link layer) into fragments,
 * the way a sender's IP layer would: each fragment carries a copy of the header (for IPv6 the
 * unfragmentable part: header, hop-by-hop and routing headers, then a fragment header).
 */
final class Fragments {
    private Fragments() {}

    /** Fragments of at most {@code size} payload bytes (a multiple of 8), in order. */
    static List<byte[]> ipv4(byte[] packet, int size) {
        return ipv4(packet, ranges(ipv4PayloadLength(packet), size));
    }

    /** One fragment per {@code [start, end)} pair of payload offsets, MF set unless the range ends the payload. */
    static List<byte[]> ipv4(byte[] packet, int... startEndPairs) {
        int total = ipv4PayloadLength(packet);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < startEndPairs.length; i += 2) {
            out.add(ipv4Fragment(packet, startEndPairs[i], startEndPairs[i + 1], startEndPairs[i + 1] < total));
        }
        return out;
    }

    static byte[] ipv4Fragment(byte[] packet, int start, int end, boolean more) {
        int hlen = (packet[0] & 0x0F) * 4;
        byte[] f = new byte[hlen + end - start];
        System.arraycopy(packet, 0, f, 0, hlen);
        System.arraycopy(packet, hlen + start, f, hlen, end - start);
        f[2] = (byte) (f.length >>> 8);
        f[3] = (byte) f.length;
        int flags = (more ? 0x2000 : 0) | (start / 8);
        f[6] = (byte) (flags >>> 8);
        f[7] = (byte) flags;
        f[10] = f[11] = 0;
        int s = FrameBuilder.checksum(f, 0, hlen, 0);
        f[10] = (byte) (s >>> 8);
        f[11] = (byte) s;
        return f;
    }

    static int ipv4PayloadLength(byte[] packet) {
        return ((packet[2] & 0xFF) << 8 | (packet[3] & 0xFF)) - (packet[0] & 0x0F) * 4;
    }

    static List<byte[]> ipv6(byte[] packet, int id, int size) {
        return ipv6(packet, id, ranges(packet.length - unfragmentable(packet), size));
    }

    static List<byte[]> ipv6(byte[] packet, int id, int... startEndPairs) {
        int total = packet.length - unfragmentable(packet);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < startEndPairs.length; i += 2) {
            out.add(ipv6Fragment(packet, id, startEndPairs[i], startEndPairs[i + 1], startEndPairs[i + 1] < total));
        }
        return out;
    }

    static byte[] ipv6Fragment(byte[] packet, int id, int start, int end, boolean more) {
        int unfrag = unfragmentable(packet);
        int nextAt = nextHeaderField(packet);
        int fragmentableNext = packet[nextAt] & 0xFF;
        byte[] f = new byte[unfrag + 8 + end - start];
        System.arraycopy(packet, 0, f, 0, unfrag);
        f[nextAt] = (byte) IpProtocol.IPV6_FRAG;
        int payloadLength = f.length - 40;
        f[4] = (byte) (payloadLength >>> 8);
        f[5] = (byte) payloadLength;
        byte[] fh = new FrameBuilder.Bytes().u8(fragmentableNext).u8(0).u16(start | (more ? 1 : 0)).u32(id).toArray();
        System.arraycopy(fh, 0, f, unfrag, 8);
        System.arraycopy(packet, unfrag + start, f, unfrag + 8, end - start);
        return f;
    }

    /** Length of the IPv6 header plus hop-by-hop and routing headers (RFC 8200 section 4.5). */
    static int unfragmentable(byte[] packet) {
        int p = 40;
        int next = packet[6] & 0xFF;
        while (next == IpProtocol.HOPOPT || next == IpProtocol.IPV6_ROUTE) {
            next = packet[p] & 0xFF;
            p += ((packet[p + 1] & 0xFF) + 1) * 8;
        }
        return p;
    }

    /** Offset of the next-header field that names the first fragmentable header. */
    private static int nextHeaderField(byte[] packet) {
        int field = 6;
        int p = 40;
        int next = packet[6] & 0xFF;
        while (next == IpProtocol.HOPOPT || next == IpProtocol.IPV6_ROUTE) {
            field = p;
            next = packet[p] & 0xFF;
            p += ((packet[p + 1] & 0xFF) + 1) * 8;
        }
        return field;
    }

    private static int[] ranges(int total, int size) {
        if (size % 8 != 0) {
            throw new IllegalArgumentException("fragment size must be a multiple of 8");
        }
        int n = (total + size - 1) / size;
        int[] r = new int[n * 2];
        for (int i = 0; i < n; i++) {
            r[2 * i] = i * size;
            r[2 * i + 1] = Math.min(total, (i + 1) * size);
        }
        return r;
    }

    static List<byte[]> reversed(List<byte[]> l) {
        List<byte[]> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }
}
