package org.fathom.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Deterministic mixed Ethernet traffic for benchmarks: a pool of concurrent conversations (IPv4
 * and IPv6, TCP and UDP, some VLAN-tagged) from which each next frame is drawn, TCP with its
 * handshake, data both ways and FIN, frame sizes from a small/medium/large mix (367 bytes on
 * average, like the shared benchmark capture's 357), 10 µs apart. 200,000 frames hold ~14,000
 * conversations. Frames are held in one byte array, as a capture's records would be.
 */
public final class SyntheticTraffic {
    /** Property naming a capture to benchmark instead of the synthetic one. */
    public static final String PCAP_PROPERTY = "fathom.bench.pcap";
    public static final int DEFAULT_PACKETS = 200_000;
    static final int CONCURRENT = 4096;
    private static final long STEP_NANOS = 10_000;

    /** Frame bytes, back to back. */
    public final byte[] blob;
    public final int[] offset;
    public final int[] length;
    public final long[] timestampNanos;
    public final int count;
    /** Distinct conversations started. */
    public final int conversations;

    private SyntheticTraffic(byte[] blob, int[] offset, int[] length, long[] ts, int count, int conversations) {
        this.blob = blob;
        this.offset = offset;
        this.length = length;
        this.timestampNanos = ts;
        this.count = count;
        this.conversations = conversations;
    }

    /** The capture to benchmark: the file named by {@value #PCAP_PROPERTY}, else a synthetic one in a temporary file. */
    public static Path capture() throws IOException {
        String named = System.getProperty(PCAP_PROPERTY);
        if (named != null && !named.isBlank()) {
            System.out.println("[capture " + named + "]");
            return Path.of(named);
        }
        Path tmp = Files.createTempFile("fathom-bench-", ".pcap");
        tmp.toFile().deleteOnExit();
        generate(DEFAULT_PACKETS, 42).writePcap(tmp);
        System.out.println("[synthetic capture " + tmp + ": " + DEFAULT_PACKETS + " frames]");
        return tmp;
    }

    /** {@code java -cp benchmarks.jar org.fathom.bench.SyntheticTraffic OUT.pcap [PACKETS]}: writes the synthetic capture. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SyntheticTraffic OUT.pcap [PACKETS (default " + DEFAULT_PACKETS + ")]");
            System.exit(2);
        }
        SyntheticTraffic t = generate(args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_PACKETS, 42);
        t.writePcap(Path.of(args[0]));
        long bytes = 0;
        for (int n : t.length) {
            bytes += n;
        }
        System.out.printf("%s: %,d frames, %,d conversations, %,d frame bytes (%.0f per frame)%n",
                args[0], t.count, t.conversations, bytes, (double) bytes / t.count);
    }

    public static SyntheticTraffic generate(int packets, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Conversation[] pool = new Conversation[CONCURRENT];
        int started = 0;
        for (int i = 0; i < pool.length; i++) {
            pool[i] = new Conversation(rnd, started++);
        }
        byte[] blob = new byte[packets * 512];
        int[] offset = new int[packets];
        int[] length = new int[packets];
        long[] ts = new long[packets];
        int pos = 0;
        long t = 1_700_000_000_000_000_000L;
        for (int i = 0; i < packets; i++) {
            int k = rnd.nextInt(pool.length);
            Conversation c = pool[k];
            if (pos + 1600 > blob.length) {
                blob = java.util.Arrays.copyOf(blob, blob.length * 3 / 2);
            }
            int n = c.nextFrame(rnd, blob, pos);
            offset[i] = pos;
            length[i] = n;
            ts[i] = t;
            pos += n;
            t += STEP_NANOS;
            if (c.done()) {
                pool[k] = new Conversation(rnd, started++);
            }
        }
        return new SyntheticTraffic(blob, offset, length, ts, packets, started);
    }

    /** Writes the frames as a classic pcap (microseconds, little-endian, Ethernet). */
    public void writePcap(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144).putInt(1);
            out.write(h.array());
            ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                r.clear();
                r.putInt((int) (timestampNanos[i] / 1_000_000_000L)).putInt((int) (timestampNanos[i] % 1_000_000_000L / 1000));
                r.putInt(length[i]).putInt(length[i]);
                out.write(r.array());
                out.write(blob, offset[i], length[i]);
            }
        }
    }

    /** One conversation and where it stands. */
    private static final class Conversation {
        private static final int V4_TCP = 0, V4_UDP = 1, V6_TCP = 2, V6_UDP = 3;
        final int kind;
        final int vlan;
        final byte[] client;
        final byte[] server;
        final int clientPort;
        final int serverPort;
        final int packets;
        int sent;
        int seqC = 1000, seqS = 5000;

        Conversation(SplittableRandom rnd, int id) {
            int r = rnd.nextInt(100);
            kind = r < 50 ? V4_TCP : r < 72 ? V4_UDP : r < 90 ? V6_TCP : V6_UDP;
            vlan = rnd.nextInt(100) < 5 ? 100 + rnd.nextInt(4) : 0;
            boolean v6 = kind == V6_TCP || kind == V6_UDP;
            client = v6 ? new byte[16] : new byte[4];
            server = v6 ? new byte[16] : new byte[4];
            if (v6) {
                byte[] c = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0x0c};
                byte[] s = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0x05};
                System.arraycopy(c, 0, client, 0, 6);
                System.arraycopy(s, 0, server, 0, 6);
                for (int i = 12; i < 16; i++) {
                    client[i] = (byte) rnd.nextInt(256);
                }
                server[15] = (byte) (1 + rnd.nextInt(200));
            } else {
                client[0] = 10;
                client[1] = (byte) rnd.nextInt(256);
                client[2] = (byte) rnd.nextInt(256);
                client[3] = (byte) (1 + rnd.nextInt(254));
                server[0] = (byte) 93;
                server[1] = (byte) 184;
                server[2] = (byte) rnd.nextInt(4);
                server[3] = (byte) (1 + rnd.nextInt(200));
            }
            clientPort = 32768 + (id * 7 + rnd.nextInt(7)) % 28000;
            boolean tcp = kind == V4_TCP || kind == V6_TCP;
            int[] tcpPorts = {443, 443, 443, 80, 22, 8080};
            int[] udpPorts = {53, 53, 443, 123, 5353, 3478};
            serverPort = tcp ? tcpPorts[rnd.nextInt(tcpPorts.length)] : udpPorts[rnd.nextInt(udpPorts.length)];
            packets = tcp ? 5 + rnd.nextInt(40) : 1 + rnd.nextInt(10);
        }

        boolean done() {
            return sent >= packets;
        }

        /** Writes the next frame at {@code pos}; returns its length. */
        int nextFrame(SplittableRandom rnd, byte[] b, int pos) {
            boolean tcp = kind == V4_TCP || kind == V6_TCP;
            boolean v6 = kind == V6_TCP || kind == V6_UDP;
            int i = sent++;
            boolean fromClient;
            int flags = 0;
            int payload;
            if (tcp) {
                if (i == 0) {
                    fromClient = true;
                    flags = 0x02; // SYN
                    payload = 0;
                } else if (i == 1) {
                    fromClient = false;
                    flags = 0x12; // SYN-ACK
                    payload = 0;
                } else if (i == 2) {
                    fromClient = true;
                    flags = 0x10;
                    payload = 0;
                } else if (i >= packets - 2) {
                    fromClient = i == packets - 2;
                    flags = 0x11; // FIN-ACK, one from each side
                    payload = 0;
                } else {
                    fromClient = rnd.nextInt(3) == 0;
                    flags = 0x18; // PSH-ACK
                    payload = payloadSize(rnd);
                }
            } else {
                fromClient = i % 2 == 0;
                payload = 20 + rnd.nextInt(rnd.nextInt(8) == 0 ? 1200 : 200);
            }
            int p = pos;
            // Ethernet
            for (int k = 0; k < 6; k++) {
                b[p + k] = (byte) (fromClient ? 0x02 : 0x04);
                b[p + 6 + k] = (byte) (fromClient ? 0x04 : 0x02);
            }
            p += 12;
            if (vlan != 0) {
                p = u16(b, p, 0x8100);
                p = u16(b, p, vlan);
            }
            p = u16(b, p, v6 ? 0x86DD : 0x0800);
            byte[] src = fromClient ? client : server;
            byte[] dst = fromClient ? server : client;
            int l4len = (tcp ? 20 : 8) + payload;
            if (v6) {
                b[p] = 0x60;
                b[p + 1] = b[p + 2] = b[p + 3] = 0;
                u16(b, p + 4, l4len);
                b[p + 6] = (byte) (tcp ? 6 : 17);
                b[p + 7] = 64;
                System.arraycopy(src, 0, b, p + 8, 16);
                System.arraycopy(dst, 0, b, p + 24, 16);
                p += 40;
            } else {
                int ip = p;
                b[p] = 0x45;
                b[p + 1] = 0;
                u16(b, p + 2, 20 + l4len);
                u16(b, p + 4, i);
                u16(b, p + 6, 0x4000); // DF
                b[p + 8] = 64;
                b[p + 9] = (byte) (tcp ? 6 : 17);
                b[p + 10] = b[p + 11] = 0;
                System.arraycopy(src, 0, b, p + 12, 4);
                System.arraycopy(dst, 0, b, p + 16, 4);
                u16(b, ip + 10, ipv4Checksum(b, ip));
                p += 20;
            }
            int sp = fromClient ? clientPort : serverPort;
            int dp = fromClient ? serverPort : clientPort;
            p = u16(b, p, sp);
            p = u16(b, p, dp);
            if (tcp) {
                int seq = fromClient ? seqC : seqS;
                int ack = fromClient ? seqS : seqC;
                p = u32(b, p, seq);
                p = u32(b, p, (flags & 0x10) != 0 ? ack : 0);
                b[p] = 0x50;
                b[p + 1] = (byte) flags;
                u16(b, p + 2, 64_240);
                b[p + 4] = b[p + 5] = b[p + 6] = b[p + 7] = 0;
                p += 8;
                int advance = payload + ((flags & 0x03) != 0 ? 1 : 0);
                if (fromClient) {
                    seqC += advance;
                } else {
                    seqS += advance;
                }
            } else {
                p = u16(b, p, l4len);
                p = u16(b, p, 0);
            }
            java.util.Arrays.fill(b, p, p + payload, (byte) 0x61);
            return p + payload - pos;
        }

        private static int payloadSize(SplittableRandom rnd) {
            int r = rnd.nextInt(100);
            if (r < 45) {
                return rnd.nextInt(40);
            } else if (r < 75) {
                return 100 + rnd.nextInt(500);
            }
            return 1000 + rnd.nextInt(449);
        }

        private static int u16(byte[] b, int p, int v) {
            b[p] = (byte) (v >>> 8);
            b[p + 1] = (byte) v;
            return p + 2;
        }

        private static int u32(byte[] b, int p, int v) {
            u16(b, p, v >>> 16);
            return u16(b, p + 2, v);
        }

        private static int ipv4Checksum(byte[] b, int p) {
            int sum = 0;
            for (int k = 0; k < 20; k += 2) {
                sum += (b[p + k] & 0xFF) << 8 | (b[p + k + 1] & 0xFF);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            return ~sum & 0xFFFF;
        }
    }
}
