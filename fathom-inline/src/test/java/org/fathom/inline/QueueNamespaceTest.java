package org.fathom.inline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;
import org.fathom.decode.DecodedPacket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue source on real forwarded traffic: a router namespace queues everything it forwards
 * (iptables FORWARD -j NFQUEUE --queue-bypass) and this test answers the queue with a fixed,
 * port-based policy, while python3 senders and receivers in the end namespaces and tcpdump on the
 * far side say what arrived. Skips unless root with ip and iptables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueNamespaceTest {
    static final int QUEUE = 7;
    static final InlineVerdict BLOCK = InlineVerdict.drop("block-discard", "block");
    static final InlineVerdict EF = InlineVerdict.mark("sip-first", "prioritise", Dscp.EF);
    static final InlineVerdict LIMIT = InlineVerdict.rateLimit("limit-7000", "rate_limit", 2_000_000);

    InlineLab lab;
    QueueSource source;
    Thread reader;
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    static InlineVerdict policy(DecodedPacket d) {
        int port = Math.min(d.srcPort, d.dstPort);
        return switch (port) {
            case 9 -> BLOCK;
            case 5060 -> EF;
            case 7000 -> LIMIT;
            default -> null;
        };
    }

    @BeforeAll
    void lab() throws Exception {
        InlineLab.assumeUsable();
        InlineLab.assumeTools("python3", "tcpdump", "ping");
        lab = InlineLab.create();
        try {
            lab.queueForwarded(QUEUE);
            NfQueue q = InlineLab.insideNamespace(InlineLab.R,
                    () -> NfQueue.open(List.of(QUEUE), NfQueue.Settings.defaults().withFailOpen(true)));
            source = new QueueSource(q, QueueNamespaceTest::policy, new TokenBuckets(1024));
            reader = Thread.ofPlatform().name("queue-reader").start(() -> {
                try {
                    Packet p = new Packet();
                    while (source.read(p) != PacketSource.END) {
                        // the engine's place; the verdict is given inside read
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    @AfterAll
    void removeLab() throws Exception {
        try {
            if (source != null) {
                source.stop();
                reader.join(5_000);
                source.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
        assertThat(failure.get()).isNull();
    }

    @Test
    void blockedTrafficDoesNotArriveAndOtherTrafficDoes(@TempDir Path tmp) throws Exception {
        Path blockedOut = tmp.resolve("blocked.txt");
        Path openOut = tmp.resolve("open.txt");
        Process blocked = InlineLab.receiver(9, 2.5, false, blockedOut);
        Process open = InlineLab.receiver(9999, 2.5, false, openOut);
        InlineLab.send(9, 20, 200, 1000, false, 0);
        InlineLab.send(9999, 20, 200, 1000, false, 0);
        long[] br = InlineLab.result(blocked, blockedOut);
        assertThat(br[0]).isZero();
        assertThat(InlineLab.result(open, openOut)[0]).isEqualTo(20);
        // ping exits 0 when a reply came; otherwise this throws with its output
        InlineLab.in(InlineLab.A, "ping", "-c", "3", "-i", "0.2", "-W", "2", InlineLab.B_IP);
        InlineLab.in(InlineLab.A, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", InlineLab.B_IP6);
    }

    @Test
    void markedPacketsArriveWithDscpEfTheirEcnKeptAndAValidChecksum(@TempDir Path tmp) throws Exception {
        Path pcap = tmp.resolve("far.pcap");
        Process dump = InlineLab.start(InlineLab.B, tmp.resolve("tcpdump.txt"), "tcpdump", "-i", InlineLab.B_IF, "-U", "-n",
                "-w", pcap.toString(), "udp and (port 5060 or port 5070)");
        try {
            Thread.sleep(800);   // tcpdump is listening
            Path o1 = tmp.resolve("r1.txt");
            Path o2 = tmp.resolve("r2.txt");
            Path o3 = tmp.resolve("r3.txt");
            Process r1 = InlineLab.receiver(5060, 2.5, false, o1);
            Process r2 = InlineLab.receiver(5060, 2.5, true, o2);
            Process r3 = InlineLab.receiver(5070, 2.5, false, o3);
            InlineLab.send(5060, 5, 300, 1000, false, 0x01);   // ECT(1), no DSCP
            InlineLab.send(5060, 5, 300, 1000, true, 0x02);    // ECT(0)
            InlineLab.send(5070, 5, 300, 1000, false, 0x01);   // not marked
            assertThat(InlineLab.result(r1, o1)[0]).isEqualTo(5);   // the far end's stack took them: IPv4 checksum valid
            assertThat(InlineLab.result(r2, o2)[0]).isEqualTo(5);
            assertThat(InlineLab.result(r3, o3)[0]).isEqualTo(5);
            Thread.sleep(300);
        } finally {
            InlineLab.run("kill", "-INT", Long.toString(dump.pid()));
            dump.waitFor();
        }
        List<int[]> seen = new ArrayList<>();   // version, dscp, ecn, checksum ok, dst port
        try (CaptureReader r = CaptureFiles.open(pcap)) {
            Packet p = new Packet();
            while (r.read(p) == PacketSource.PACKET) {
                int ip = 14;
                int v = (p.data[ip] & 0xff) >>> 4;
                int dscp = Dscp.get(p.data, ip, p.length - ip);
                int tc = v == 4 ? p.data[ip + 1] & 0xff : ((p.data[ip] & 0x0f) << 4 | (p.data[ip + 1] & 0xff) >>> 4);
                boolean ok = v != 4 || Dscp.ipv4ChecksumValid(p.data, ip);
                int l4 = ip + (v == 4 ? (p.data[ip] & 0x0f) * 4 : 40);
                int dport = (p.data[l4 + 2] & 0xff) << 8 | (p.data[l4 + 3] & 0xff);
                seen.add(new int[] {v, dscp, tc & 3, ok ? 1 : 0, dport});
            }
        }
        assertThat(seen).hasSize(15);
        for (int[] s : seen) {
            assertThat(s[3]).as("IPv4 header checksum valid").isEqualTo(1);
            if (s[4] == 5060) {
                assertThat(s[1]).as("DSCP of a marked packet").isEqualTo(Dscp.EF);
                assertThat(s[2]).as("ECN kept").isEqualTo(s[0] == 4 ? 1 : 2);
            } else {
                assertThat(s[1]).as("DSCP of an unmarked packet").isZero();
                assertThat(s[2]).isEqualTo(1);
            }
        }
        assertThat(source.stats().rules()).anySatisfy(r -> {
            assertThat(r.rule()).isEqualTo("sip-first");
            assertThat(r.marked()).isEqualTo(10);
        });
    }

    @Test
    void theReadingThreadAllocatesNothingPerPacket(@TempDir Path tmp) throws Exception {
        InlineLab.assumeTools("hping3");
        // the router's own loopback traffic to UDP 7100-7101 goes to queue 11, answered by a JVM of its own
        InlineLab.in(InlineLab.R, lab.iptables(), "-A", "OUTPUT", "-o", "lo", "-p", "udp", "--dport", "7100:7101", "-j", "NFQUEUE",
                "--queue-num", "11", "--queue-bypass");
        Path out = tmp.resolve("probe.txt");
        // C2 alone (-XX:-TieredCompilation): the loop is compiled after 10,000 iterations, so the
        // steady state comes within the warm-up; the test JVM (C1 only) does not scalar-replace the
        // FFM downcalls' temporaries, so it cannot measure this itself
        Process probe = InlineLab.start(InlineLab.R, out, ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:-TieredCompilation", "-cp", System.getProperty("java.class.path"),
                "org.fathom.inline.AllocationProbe", "11", "100000", "40000");
        List<Process> floods = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.readString(out).contains("ready") && System.nanoTime() < deadline && probe.isAlive()) {
                Thread.sleep(50);
            }
            // as fast as hping3 goes to the rate-limited port (what passes the queue is bounded by the
            // probe's pace), and a steady stream to the marked one
            floods.add(InlineLab.start(InlineLab.R, null, "timeout", "-s", "INT", "50", "hping3", "-q", "-2", "-p", "7100",
                    "-d", "64", "--flood", "127.0.0.1"));
            floods.add(InlineLab.start(InlineLab.R, null, "timeout", "-s", "INT", "50", "hping3", "-q", "-2", "-p", "7101",
                    "-d", "64", "-i", "u100", "127.0.0.1"));
            assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            for (Process f : floods) {
                f.destroy();
            }
            probe.destroyForcibly();
        }
        String result = Files.readString(out);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("marked (\\d+) bytes/packet per chunk (.+)").matcher(result);
        assertThat(m.find()).as(result).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("packets marked").isPositive();
        double[] chunks = java.util.Arrays.stream(m.group(2).trim().split(" ")).mapToDouble(Double::parseDouble).sorted().toArray();
        assertThat(chunks).hasSize(5);
        // a per-packet allocation would show in every chunk; a late compilation shows in one
        assertThat(chunks[2]).as("median bytes allocated per packet by the reading thread: %s", result).isLessThanOrEqualTo(1.0);
    }

    @Test
    void aRateLimitedFlowStaysWithinTenPercentOfItsRate(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("rate.txt");
        // 4 Mbit/s offered for 3 s (1000-byte datagrams, one every 2 ms) through a 2 Mbit/s limit
        Process r = InlineLab.receiver(7000, 5, false, out);
        InlineLab.send(7000, 1500, 1000, 2000, false, 0);
        long[] res = InlineLab.result(r, out);
        double seconds = (res[3] - res[2]) / 1e9;
        double bits = (res[1] + res[0] * 28.0) * 8;   // IP bytes, as the bucket counts them
        // the bucket starts full (100 ms of the rate): take that out of what a rate over time may carry
        double burstBits = TokenBuckets.burstBytes(2_000_000) * 8.0;
        double rate = (bits - burstBits) / seconds;
        assertThat(rate).as("throughput of a 2 Mbit/s flow, bit/s").isBetween(1_800_000.0, 2_200_000.0);
        assertThat(source.stats().rateDropped()).isPositive();
    }
}
