package org.fathom.protocol.quic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a one-packet classic pcap (raw IPv4, link type 101) holding the RFC 9001 Appendix A.2
 * client Initial from 127.0.0.1:50000 to 127.0.0.1:443: neither curl (7.88, no HTTP/3) nor a
 * Python QUIC library is available here to record a real one.
 */
public final class QuicGolden {
    private QuicGolden() {}

    public static byte[] pcap() {
        byte[] quic = QuicTestAccess.rfcInitial();
        int ipLen = 20 + 8 + quic.length;
        ByteBuffer ip = ByteBuffer.allocate(ipLen).order(ByteOrder.BIG_ENDIAN);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x7F000001).putInt(0x7F000001);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((ip.get(i) & 0xFF) << 8) | (ip.get(i + 1) & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        ip.putShort(10, (short) ~sum);
        ip.putShort((short) 50000).putShort((short) 443).putShort((short) (8 + quic.length)).putShort((short) 0).put(quic);
        ByteBuffer f = ByteBuffer.allocate(24 + 16 + ipLen).order(ByteOrder.LITTLE_ENDIAN);
        f.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        f.putInt(1_700_000_000).putInt(0).putInt(ipLen).putInt(ipLen).put(ip.array());
        return f.array();
    }
}
