package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IPFIX export against real peers: nfdump's collector {@code nfcapd} receives
 * {@code fathom analyze --ipfix} on loopback and {@code nfdump -r} must read back the same flows,
 * with the same packets and bytes per direction, as the JSON records of the same run; tshark
 * must decode every message as IPFIX without a malformed field or a warning. The datagrams pass
 * through a relay in the test, which keeps a copy and writes it as a pcap for tshark (no capture
 * privileges needed). Skipped when the tools are not installed ({@code .ci/run} installs them).
 */
class IpfixInteropTest {
    static final Path SAMPLE = Path.of("..", "samples", "http-loopback.pcap");
    static final Path CORPUS = Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap"))
            ? Path.of("../../shared/corpus/ndpi/pcap") : Path.of("../../../shared/corpus/ndpi/pcap");
    /** Captures with IPv4 and IPv6, VLAN tags, tunnels and many flows, when the corpus is there. */
    static final List<String> CORPUS_CAPTURES = List.of("6in6tunnel.pcap", "4in6tunnel.pcap", "4in4tunnel.pcap",
            "1kxun.pcap", "443-chrome.pcap", "http_ipv6.pcap", "gtp_c.pcap");

    @TempDir
    Path dir;

    static boolean installed(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Receives datagrams on a loopback port, keeps a copy of each, and forwards them. */
    static final class Relay implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final List<byte[]> datagrams = Collections.synchronizedList(new ArrayList<>());
        volatile long lastAt = System.nanoTime();
        final Thread thread;

        Relay(int forwardTo) throws SocketException {
            socket.setReceiveBufferSize(4 << 20);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), forwardTo);
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                byte[] buf = new byte[65535];
                try (DatagramSocket out = new DatagramSocket()) {
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        byte[] copy = Arrays.copyOf(p.getData(), p.getLength());
                        datagrams.add(copy);
                        out.send(new DatagramPacket(copy, copy.length, to));
                        lastAt = System.nanoTime();
                        Thread.sleep(1);   // pace: nfcapd reads one datagram at a time
                    }
                } catch (IOException | InterruptedException e) {
                    // closed
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        void awaitQuiet() throws InterruptedException {
            while (System.nanoTime() - lastAt < TimeUnit.MILLISECONDS.toNanos(700)) {
                Thread.sleep(50);
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    static int freeUdpPort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /**
     * With interim records too ({@code --active-timeout}): each is a record of deltas, in JSON and in
     * IPFIX alike. With the default subscriber networks the addresses nfdump reads are the same
     * pseudonyms as the JSON records': the export gets the guard's records, not the packets'.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "--active-timeout {0}, --subscriber-networks {1}")
    @org.junit.jupiter.params.provider.CsvSource({"0, none", "2, none", "0, default"})
    void nfcapdReceivesTheSameFlowsPacketsAndBytesAsTheJsonRecords(String activeTimeout, String subscribers) throws Exception {
        assumeTrue(installed("nfcapd") && installed("nfdump"), "nfcapd/nfdump (Debian package nfdump) not installed: IPFIX interop with nfdump not tested");
        List<String> captures = new ArrayList<>();
        captures.add(SAMPLE.toString());
        for (String c : CORPUS_CAPTURES) {
            if (Files.isRegularFile(CORPUS.resolve(c))) {
                captures.add(CORPUS.resolve(c).toString());
            }
        }
        Path flowsDir = Files.createDirectories(dir.resolve("nfcapd"));
        int collectorPort = freeUdpPort();
        Process nfcapd = new ProcessBuilder("nfcapd", "-w", flowsDir.toString(), "-b", "127.0.0.1",
                "-p", Integer.toString(collectorPort), "-t", "3600")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nfcapd.log").toFile()).start();
        Path json = dir.resolve("flows.jsonl");
        List<byte[]> datagrams;
        try {
            awaitLog(dir.resolve("nfcapd.log"), "Startup", nfcapd);
            try (Relay relay = new Relay(collectorPort)) {
                List<String> args = new ArrayList<>(List.of("analyze", "-q",
                        "--flows", json.toString(), "--ipfix", "127.0.0.1:" + relay.port(), "--sink-queue", "100000",
                        "--active-timeout", activeTimeout));
                if (!subscribers.equals("default")) {
                    args.addAll(List.of("--subscriber-networks", subscribers));
                }
                args.addAll(captures);
                AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom(args.toArray(String[]::new));
                assertThat(r.status()).as(r.err()).isIn(0, 1);
                relay.awaitQuiet();
                datagrams = List.copyOf(relay.datagrams);
            }
            Thread.sleep(500);   // nfcapd has read the last datagram
        } finally {
            nfcapd.destroy();   // SIGTERM: nfcapd writes its file and exits
            if (!nfcapd.waitFor(20, TimeUnit.SECONDS)) {
                nfcapd.destroyForcibly();
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(flowsDir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("nfcapd.2")).toList();
        }
        // usually one file; two if the run crossed nfcapd's rotation boundary (-t, aligned to the clock)
        assertThat(files).as(Files.readString(dir.resolve("nfcapd.log"))).isNotEmpty();
        Process dump = new ProcessBuilder("nfdump", "-q", "-6", "-R", flowsDir.toString(), "-o",
                "fmt:%pr|%sa|%sp|%da|%dp|%ipkt|%opkt|%ibyt|%obyt").redirectErrorStream(true).start();
        String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> collected = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] f = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
            if (f.length == 9) {
                collected.add(key(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]));
            }
        }
        List<String> expected = new ArrayList<>();
        for (java.util.Map<String, Object> n : JsonLines.flows(Files.readString(json))) {
            expected.add(key((String) n.get("l4"), (String) n.get("src_ip"), n.get("src_port").toString(),
                    (String) n.get("dst_ip"), n.get("dst_port").toString(), n.get("packets_c2s").toString(),
                    n.get("packets_s2c").toString(), n.get("bytes_c2s").toString(), n.get("bytes_s2c").toString()));
        }
        Collections.sort(collected);
        Collections.sort(expected);
        assertThat(expected).hasSizeGreaterThan(5);
        assertThat(collected).as("nfdump's flows (left) against Fathom's JSON records\n" + out.lines().limit(5).toList())
                .hasSameSizeAs(expected).containsExactlyElementsOf(expected);
        if (!activeTimeout.equals("0")) {
            assertThat(Files.readString(json)).contains("\"end_reason\":\"active\"");
        }
        System.out.println("IPFIX interop (--active-timeout " + activeTimeout + ", subscribers " + subscribers + "): " + captures.size() + " captures, " + expected.size() + " flows in JSON, "
                + collected.size() + " read back by nfdump, " + datagrams.size() + " messages");

        tsharkDecodesEveryMessage(datagrams, !subscribers.equals("none"));
    }

    @Test
    void tsharkDecodesTheAnonymisationOptionsOfPseudonymisedAddresses() throws Exception {
        assumeTrue(installed("tshark"), "tshark not installed: IPFIX decoding by Wireshark not tested");
        List<byte[]> datagrams;
        try (Relay relay = new Relay(freeUdpPort())) {
            AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", "-q", SAMPLE.toString(),
                    "--subscriber-networks", "127.0.0.0/8", "--ipfix", "127.0.0.1:" + relay.port());
            assertThat(r.status()).as(r.err()).isZero();
            relay.awaitQuiet();
            datagrams = List.copyOf(relay.datagrams);
        }
        assertThat(datagrams).isNotEmpty();
        String verbose = tsharkDecodesEveryMessage(datagrams, true);
        assertThat(verbose).doesNotContain("SrcAddr: 127.0.0.1");   // the subscriber left as a pseudonym
    }

    /** One comparable line per flow; ports only where the protocol has them (nfdump shows ICMP type.code). */
    static String key(String l4, String sa, String sp, String da, String dp, String ipkt, String opkt, String ibyt, String obyt) {
        boolean ports = l4.equals("TCP") || l4.equals("UDP") || l4.equals("SCTP");
        return String.join(" ", sa, ports ? sp : "-", da, ports ? dp : "-", ipkt, opkt, ibyt, obyt);
    }

    /** @return tshark's verbose decoding */
    String tsharkDecodesEveryMessage(List<byte[]> datagrams, boolean anonymised) throws Exception {
        if (!installed("tshark")) {
            System.out.println("IPFIX interop: tshark not installed, IPFIX decoding by Wireshark not checked");
            return "";
        }
        Path pcap = dir.resolve("ipfix.pcap");
        writePcap(pcap, datagrams);
        String all = tshark(pcap, "-T", "fields", "-e", "frame.number", "-e", "cflow.version", "-Y", "cflow");
        assertThat(all.lines().filter(l -> l.endsWith("\t10"))).hasSize(datagrams.size());
        String bad = tshark(pcap, "-Y", "_ws.malformed || _ws.expert.severity >= 6291456");   // warning and worse
        assertThat(bad.strip()).as("frames tshark finds malformed or warns about").isEmpty();
        String verbose = tshark(pcap, "-V");
        assertThat(verbose).contains("Version: 10").doesNotContain("Malformed");
        if (anonymised) {
            assertThat(verbose).contains("Anonymization Technique: 6").contains("Information Element Id: 8");
        } else {
            assertThat(verbose).doesNotContain("Anonymization Technique");
        }
        return verbose;
    }

    String tshark(Path pcap, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-d", "udp.port==4739,cflow"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The datagrams as Ethernet/IPv4/UDP frames from 127.0.0.1:50000 to 127.0.0.1:4739 (the IPFIX port). */
    static void writePcap(Path file, List<byte[]> datagrams) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer g = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        g.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.write(g.array());
        int i = 0;
        for (byte[] d : datagrams) {
            int frame = 14 + 20 + 8 + d.length;
            ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(1_700_000_000 + i).putInt(0).putInt(frame).putInt(frame);
            out.write(h.array());
            ByteBuffer f = ByteBuffer.allocate(frame);
            f.put(new byte[12]).putShort((short) 0x0800);
            int ip = f.position();
            f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + d.length)).putShort((short) i++)
                    .putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0)
                    .putInt(0x7f000001).putInt(0x7f000001);
            int sum = 0;
            for (int k = ip; k < ip + 20; k += 2) {
                sum += f.getShort(k) & 0xFFFF;
            }
            while (sum > 0xFFFF) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            f.putShort(ip + 10, (short) ~sum);
            f.putShort((short) 50000).putShort((short) 4739).putShort((short) (8 + d.length)).putShort((short) 0);
            f.put(d);
            out.write(f.array());
        }
        Files.write(file, out.toByteArray());
    }

    static void awaitLog(Path log, String text, Process p) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            assertThat(p.isAlive()).as("nfcapd ended: " + (Files.exists(log) ? Files.readString(log) : "")).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("nfcapd did not start: " + Files.readString(log));
    }

    @Test
    void aBadCollectorAddressIsOneUsageErrorLine() {
        for (String bad : List.of("localhost", "127.0.0.1:99999", "ftp://127.0.0.1:4739", "127.0.0.1:port")) {
            AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE.toString(), "--ipfix", bad);
            assertThat(r.status()).as(bad).isEqualTo(2);
            assertThat(r.errLines()).as(bad).singleElement().asString().startsWith("fathom: --ipfix '" + bad + "'")
                    .contains("HOST:PORT");
        }
    }

    @Test
    void anAbsentTcpCollectorIsOneUsageErrorLine() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE.toString(), "--ipfix", "tcp://127.0.0.1:" + port);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("tcp://127.0.0.1:" + port).contains("cannot connect")
                .doesNotContain("Exception");
    }

    @Test
    void theSummarySaysWhatWasExported() throws Exception {
        try (java.net.DatagramSocket collector = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = collector.getLocalPort();
            AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE.toString(), "--ipfix", "127.0.0.1:" + port,
                    "--subscriber-networks", "none");
            assertThat(r.status()).isZero();
            // the sample's six flows, no anonymisation options with subscriber networks 'none', one message
            assertThat(r.out()).contains("IPFIX      udp://127.0.0.1:" + port + ": 6 data records in 1 messages");
        }
    }

    @Test
    void theExportDropsOnAFullQueueUnlessOnFullIsGiven() {
        AnalyzeCommand plain = new AnalyzeCommand();
        new picocli.CommandLine(plain).parseArgs("x.pcap", "--ipfix", "127.0.0.1:4739");
        RunOptions.Prepared p = plain.run.prepare(0);
        assertThat(p.overflow()).isEqualTo(org.fathom.output.AsyncSink.Overflow.BLOCK);
        assertThat(IpfixOptions.overflow(p.chosen())).isEqualTo(org.fathom.output.AsyncSink.Overflow.DROP);
        AnalyzeCommand chosen = new AnalyzeCommand();
        new picocli.CommandLine(chosen).parseArgs("x.pcap", "--ipfix", "127.0.0.1:4739", "--on-full", "block");
        assertThat(IpfixOptions.overflow(chosen.run.prepare(0).chosen())).isEqualTo(org.fathom.output.AsyncSink.Overflow.BLOCK);
    }

    @Test
    void aggregateModeHasNoFlowsToExport() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE.toString(), "--privacy", "aggregate",
                "--ipfix", "127.0.0.1:4739");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--ipfix").contains("aggregate mode");
    }

    @Test
    void helpNamesTheOption() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", "--help");
        assertThat(r.out()).contains("--ipfix=HOST:PORT").contains("tcp://HOST:PORT");
    }

    @Test
    void aCollectorThatIsNotListeningCostsTheRunNothing() throws IOException {
        int port = freeUdpPort();
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE.toString(), "--subscriber-networks", "none",
                "--ipfix", "127.0.0.1:" + port);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
    }
}
