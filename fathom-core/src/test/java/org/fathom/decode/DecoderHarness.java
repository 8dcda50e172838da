package org.fathom.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.fathom.capture.Packet;
import org.fathom.reassembly.IpReassembler;

/**
 * A decoder, its output, and the checks every decode in a test must pass: no exception hidden by
 * the decoder's last-resort catch, a result code from the documented set, and (when OK) a payload
 * window inside the buffer it points into.
 */
final class DecoderHarness {
    final PacketDecoder decoder;
    final DecodedPacket d = new DecodedPacket();

    DecoderHarness() {
        this(new IpReassembler());
    }

    DecoderHarness(IpReassembler reassembler) {
        decoder = new PacketDecoder(reassembler);
    }

    int decode(FrameBuilder frame, int linkType) {
        return decode(frame.packet(linkType));
    }

    int decode(Packet p) {
        int r = decoder.decode(p, d);
        checkInvariants(decoder, d, p, r);
        return r;
    }

    DecodeStats stats() {
        return decoder.stats();
    }

    IpReassembler reassembler() {
        return decoder.reassembler();
    }

    String src() {
        return address(d.srcHi, d.srcLo);
    }

    String dst() {
        return address(d.dstHi, d.dstLo);
    }

    /** The decoded payload bytes. */
    byte[] payload() {
        return java.util.Arrays.copyOfRange(d.buf, d.payloadOffset, d.payloadOffset + d.payloadLength);
    }

    /** Checks that hold after any decode, whatever the input; plain comparisons, since fuzzing calls it a lot. */
    static void checkInvariants(PacketDecoder decoder, DecodedPacket d, Packet p, int r) {
        DecodeStats s = decoder.stats();
        if (s.swallowedExceptions != 0) {
            throw new AssertionError("decoder bug hidden by its catch on link type " + p.linkType + ", frame "
                    + hex(p.data, p.length), s.lastSwallowed);
        }
        if (r < PacketDecoder.OK || r > PacketDecoder.UNSUPPORTED_LINK) {
            throw new AssertionError("result code " + r);
        }
        if (r == PacketDecoder.OK) {
            int limit = d.buf == p.data ? p.length : d.buf == decoder.reassembler().buffer() ? d.buf.length : -1;
            if (d.payloadOffset < 0 || d.payloadLength < 0 || d.payloadOffset + d.payloadLength > limit
                    || (d.ipVersion != 4 && d.ipVersion != 6) || d.frames < 1) {
                throw new AssertionError("payload " + d.payloadOffset + "+" + d.payloadLength + " of " + limit
                        + " (buffer " + (d.buf == p.data ? "frame" : d.buf == null ? "null" : "other") + "), ipVersion "
                        + d.ipVersion + ", frames " + d.frames + " on link type " + p.linkType + ", frame " + hex(p.data, p.length));
            }
        }
    }

    /** Text form of a 128-bit address; IPv4-mapped addresses come out as dotted quads. */
    static String address(long hi, long lo) {
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (hi >>> (56 - 8 * i));
            a[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Canonical text of an address literal, to compare with {@link #address}. */
    static String canonical(String literal) {
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static String hex(byte[] b, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
