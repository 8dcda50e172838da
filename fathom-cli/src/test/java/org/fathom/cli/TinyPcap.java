package org.fathom.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small Ethernet/IPv4 libpcap files for command-line tests: whole TCP conversations and UDP datagrams. */
final class TinyPcap {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long micros;

    /** @param startSeconds capture time of the first packet, seconds since 1970 */
    TinyPcap(long startSeconds) {
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144).putInt(1);
        out.writeBytes(h.array());
        micros = startSeconds * 1_000_000L;
    }

    /** A TCP conversation: handshake, the request, the response, FIN both ways. */
    TinyPcap tcp(String client, int cport, String server, int sport, String request, String response) {
        byte[] req = request.getBytes(StandardCharsets.ISO_8859_1);
        byte[] rsp = response.getBytes(StandardCharsets.ISO_8859_1);
        long cs = 1000;
        long ss = 5000;
        frame(client, server, tcp(cport, sport, cs, 0, 0x02, new byte[0]));
        frame(server, client, tcp(sport, cport, ss, cs + 1, 0x12, new byte[0]));
        frame(client, server, tcp(cport, sport, cs + 1, ss + 1, 0x10, new byte[0]));
        frame(client, server, tcp(cport, sport, cs + 1, ss + 1, 0x18, req));
        frame(server, client, tcp(sport, cport, ss + 1, cs + 1 + req.length, 0x18, rsp));
        frame(client, server, tcp(cport, sport, cs + 1 + req.length, ss + 1 + rsp.length, 0x11, new byte[0]));
        frame(server, client, tcp(sport, cport, ss + 1 + rsp.length, cs + 2 + req.length, 0x11, new byte[0]));
        frame(client, server, tcp(cport, sport, cs + 2 + req.length, ss + 2 + rsp.length, 0x10, new byte[0]));
        return this;
    }

    /** One UDP datagram. */
    TinyPcap udp(String src, int sport, String dst, int dport, byte[] payload) {
        ByteBuffer u = ByteBuffer.allocate(8 + payload.length);
        u.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        ip(src, dst, 17, u.array());
        return this;
    }

    /** Moves the capture clock on. */
    TinyPcap advanceMicros(long us) {
        micros += us;
        return this;
    }

    void write(Path file) {
        try {
            Files.write(file, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] tcp(int sport, int dport, long seq, long ack, int flags, byte[] payload) {
        ByteBuffer t = ByteBuffer.allocate(20 + payload.length);
        t.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        return t.array();
    }

    private void frame(String src, String dst, byte[] tcp) {
        ip(src, dst, 6, tcp);
    }

    private void ip(String src, String dst, int proto, byte[] l4) {
        ByteBuffer ip = ByteBuffer.allocate(20 + l4.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) proto).putShort((short) 0).put(addr(src)).put(addr(dst)).put(l4);
        byte[] ipb = ip.array();
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += ((ipb[i] & 0xff) << 8) | (ipb[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        ipb[10] = (byte) (~sum >> 8);
        ipb[11] = (byte) ~sum;
        ByteBuffer eth = ByteBuffer.allocate(14 + ipb.length);
        eth.put(new byte[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6}).putShort((short) 0x0800).put(ipb);
        byte[] f = eth.array();
        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(f.length).putInt(f.length);
        out.writeBytes(rec.array());
        out.writeBytes(f);
        micros += 1000;
    }

    private static byte[] addr(String dotted) {
        String[] p = dotted.split("\\.");
        return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]), (byte) Integer.parseInt(p[2]), (byte) Integer.parseInt(p[3])};
    }
}
