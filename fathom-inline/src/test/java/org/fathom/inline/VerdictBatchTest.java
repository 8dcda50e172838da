package org.fathom.inline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch verdicts ({@link NfQueue#acceptLater}) on a real queue: in a namespace of its own
 * ({@code f-pol2-q}, queue 24; not the other inline tests' lab or queues), a burst of numbered UDP
 * datagrams to loopback goes through the queue; every third is dropped, every fifth marked, the
 * rest accepted unchanged (held back and sent as batch verdicts). What arrives is exactly what was
 * not dropped, in the order sent, and batches were sent.
 */
class VerdictBatchTest {
    static final String NS = "f-pol2-q";
    static final int QUEUE = 24;
    static final int COUNT = 3000;

    @TempDir
    Path dir;

    static void removeNamespace() {
        try {
            Process p = new ProcessBuilder("ip", "netns", "del", NS).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // not there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void acceptsHeldBackForABatchLeaveInOrderAndNoneIsLostOrLeaked() throws Exception {
        InlineLab.assumeUsable();
        InlineLab.assumeTools("python3");
        removeNamespace();
        QueueSource source = null;
        Thread reader = null;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            try {
                InlineLab.run("ip", "netns", "add", NS);
            } catch (IOException e) {
                assumeTrue(false, "cannot make a namespace: " + e.getMessage());
            }
            InlineLab.run("ip", "-n", NS, "link", "set", "lo", "up");
            String[] rule = {"-A", "OUTPUT", "-o", "lo", "-p", "udp", "--dport", "7300", "-j", "NFQUEUE", "--queue-num",
                    Integer.toString(QUEUE), "--queue-bypass"};
            try {
                InlineLab.in(NS, cat("iptables", rule));
            } catch (IOException e) {
                InlineLab.in(NS, cat("iptables-legacy", rule));
            }
            NfQueue q = InlineLab.insideNamespace(NS, () -> NfQueue.open(List.of(QUEUE), NfQueue.Settings.defaults()));
            InlineVerdict drop = InlineVerdict.drop("drop-thirds", "block");
            InlineVerdict mark = InlineVerdict.mark("mark-fifths", "mark", 10);
            // datagram i carries its number (4 bytes) and i % 15 bytes more: its length says i % 3 and i % 5
            QueueSource s = new QueueSource(q, d -> {
                int k = d.payloadLength - 4;
                return k < 0 ? null : k % 3 == 0 ? drop : k % 5 == 0 ? mark : null;
            }, new TokenBuckets(64));
            source = s;
            reader = Thread.ofPlatform().name("batch-reader").start(() -> {
                try {
                    Packet p = new Packet();
                    while (s.read(p) != PacketSource.END) {
                        // the engine's part is not needed here: each read answers the packet before
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            Path got = dir.resolve("got.txt");
            String receiver = """
                    import socket, struct
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
                    s.bind(('127.0.0.1', 7300))
                    s.settimeout(2.0)
                    print('ready', flush=True)
                    out = []
                    try:
                        while True:
                            d, _ = s.recvfrom(2048)
                            out.append(str(struct.unpack('!I', d[:4])[0]))
                    except socket.timeout:
                        pass
                    print('got ' + ' '.join(out), flush=True)
                    """;
            Process r = InlineLab.start(NS, got, "python3", "-c", receiver);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!(Files.exists(got) && Files.readString(got).contains("ready"))) {
                assertThat(System.nanoTime()).as("receiver ready").isLessThan(deadline);
                Thread.sleep(20);
            }
            // a burst, as fast as python sends: packets queue up behind each other, so accepts batch
            InlineLab.in(NS, "python3", "-c", """
                    import socket, struct
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    for i in range(%d):
                        s.sendto(struct.pack('!I', i) + bytes(i %% 15), ('127.0.0.1', 7300))
                    """.formatted(COUNT));
            assertThat(r.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String line = Files.readAllLines(got).stream().filter(l -> l.startsWith("got")).findFirst().orElseThrow();
            List<Integer> arrived = new ArrayList<>();
            for (String n : line.substring(3).trim().split(" ")) {
                if (!n.isEmpty()) {
                    arrived.add(Integer.parseInt(n));
                }
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                if (i % 3 != 0) {
                    expected.add(i);
                }
            }
            assertThat(arrived).as("every datagram not dropped, in the order sent").isEqualTo(expected);
            assertThat(failure.get()).isNull();
            s.stop();
            reader.join(10_000);
            InlineStats st = s.stats();
            assertThat(st.packets()).isEqualTo(COUNT);
            assertThat(st.dropped()).isEqualTo(COUNT / 3);
            assertThat(q.batches()).as("accepts were sent as batch verdicts").isPositive();
            assertThat(q.batchedPackets()).isGreaterThan(q.batches());
            assertThat(q.verdictErrors()).as("no verdict refused").isZero();
        } finally {
            if (source != null) {
                source.stop();
                if (reader != null) {
                    reader.join(10_000);
                }
                source.close();
            }
            removeNamespace();
        }
    }

    private static String[] cat(String first, String[] rest) {
        String[] c = new String[rest.length + 1];
        c[0] = first;
        System.arraycopy(rest, 0, c, 1, rest.length);
        return c;
    }
}
