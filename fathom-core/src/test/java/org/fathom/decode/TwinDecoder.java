package org.fathom.decode;

import java.util.Arrays;
import org.fathom.capture.Packet;
import org.fathom.reassembly.IpReassembler;

/**
 * Two decoders fed the same frames; only the bytes after each frame's captured end differ (zeros
 * for one, junk for the other). A decoder that reads past the end cannot be caught by an
 * exception, since {@link Packet#data} is always {@link Packet#MAX_FRAME} long, but it is caught
 * here: the two results, and every decoded field, must agree. Each decode must also pass
 * {@link DecoderHarness#checkInvariants}.
 */
final class TwinDecoder {
    /** How far past the end junk is written; reads further out than this go unnoticed. */
    static final int TAIL = 1024;

    // reused like a capture reader reuses its packet: allocating 256 KiB per decode would dominate
    private static final Packet CLEAN = new Packet();
    private static final Packet DIRTY = new Packet();

    final PacketDecoder a = new PacketDecoder(new IpReassembler(8, 8, 5_000_000_000L));
    final PacketDecoder b = new PacketDecoder(new IpReassembler(8, 8, 5_000_000_000L));
    final DecodedPacket da = new DecodedPacket();
    final DecodedPacket db = new DecodedPacket();
    private long junk = 0x9E3779B97F4A7C15L;

    int decode(byte[] frame, int linkType, long ts) {
        int len = Math.min(frame.length, Packet.MAX_FRAME);
        fill(CLEAN, frame, len, linkType, ts);
        fill(DIRTY, frame, len, linkType, ts);
        int tail = Math.min(Packet.MAX_FRAME, len + TAIL);
        Arrays.fill(CLEAN.data, len, tail, (byte) 0);
        for (int i = len; i < tail; i++) {
            junk = junk * 6364136223846793005L + 1442695040888963407L;
            DIRTY.data[i] = (byte) (junk >>> 56);
        }
        int ra = a.decode(CLEAN, da);
        DecoderHarness.checkInvariants(a, da, CLEAN, ra);
        int rb = b.decode(DIRTY, db);
        DecoderHarness.checkInvariants(b, db, DIRTY, rb);
        if (ra != rb || (ra == PacketDecoder.OK && !sameFields(da, db))) {
            // messages are built only on failure: this runs hundreds of thousands of times
            throw new AssertionError("bytes past the captured end changed the decode of link type " + linkType
                    + " frame " + DecoderHarness.hex(frame, len) + ": " + ra + " " + (ra == PacketDecoder.OK ? snapshot(da) : "")
                    + " vs " + rb + " " + (rb == PacketDecoder.OK ? snapshot(db) : ""));
        }
        return ra;
    }

    private static boolean sameFields(DecodedPacket x, DecodedPacket y) {
        return x.ipVersion == y.ipVersion && x.srcHi == y.srcHi && x.srcLo == y.srcLo && x.dstHi == y.dstHi
                && x.dstLo == y.dstLo && x.l4 == y.l4 && x.srcPort == y.srcPort && x.dstPort == y.dstPort
                && x.tcpFlags == y.tcpFlags && x.tcpSeq == y.tcpSeq && x.tcpAck == y.tcpAck && x.icmpType == y.icmpType
                && x.icmpCode == y.icmpCode && x.ttl == y.ttl && x.vlan == y.vlan && x.tunnel == y.tunnel
                && x.payloadOffset == y.payloadOffset && x.payloadLength == y.payloadLength && x.frames == y.frames
                && x.wireBytes == y.wireBytes && x.malformed == y.malformed
                && Arrays.equals(x.buf, x.payloadOffset, x.payloadOffset + x.payloadLength,
                        y.buf, y.payloadOffset, y.payloadOffset + y.payloadLength);
    }

    private static void fill(Packet p, byte[] frame, int len, int linkType, long ts) {
        System.arraycopy(frame, 0, p.data, 0, len);
        p.length = len;
        p.wireLength = frame.length;
        p.linkType = linkType;
        p.timestampNanos = ts;
    }

    static String snapshot(DecodedPacket d) {
        byte[] payload = Arrays.copyOfRange(d.buf, d.payloadOffset, d.payloadOffset + d.payloadLength);
        return String.join(" ", "v" + d.ipVersion, Long.toHexString(d.srcHi), Long.toHexString(d.srcLo),
                Long.toHexString(d.dstHi), Long.toHexString(d.dstLo), "l4=" + d.l4, d.srcPort + ">" + d.dstPort,
                "flags=" + d.tcpFlags, "seq=" + d.tcpSeq, "ack=" + d.tcpAck, "icmp=" + d.icmpType + "/" + d.icmpCode,
                "ttl=" + d.ttl, "vlan=" + d.vlan, "tunnel=" + d.tunnel, "off=" + d.payloadOffset, "len=" + d.payloadLength,
                "frames=" + d.frames, "wire=" + d.wireBytes, "malformed=" + d.malformed, Arrays.toString(payload));
    }
}
