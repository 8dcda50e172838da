package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom live} capturing for real: a fathom process inside a network namespace of the
 * test's own captures a veth whose peer, in a second namespace, sends bounded traffic (hping3);
 * then SIGTERM stops it. Skips (with the reason) when not root, without libpcap or hping3.
 */
class LiveCommandTest {
    @TempDir
    Path dir;

    static void assumeHping3() {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/hping3")), "needs hping3 (apt-get install hping3)");
    }

    /** A fathom process, its standard output and error going to files. */
    static final class Fathom {
        final Process process;
        final Path out;
        final Path errFile;

        Fathom(Process p, Path out, Path err) {
            process = p;
            this.out = out;
            this.errFile = err;
        }

        String err() {
            try {
                return Files.readString(errFile);
            } catch (IOException e) {
                return "";
            }
        }

        String out() throws IOException {
            return Files.readString(out);
        }

        /** Waits until standard error says capture has started. */
        void awaitCapturing() throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!err().contains("fathom: capturing on ")) {
                assertThat(process.isAlive()).as("fathom exited early: %s", err()).isTrue();
                assertThat(System.nanoTime()).as("fathom did not start capturing: %s", err()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        /** SIGTERM, then the exit status and how long the process took to end. */
        long[] terminate() throws Exception {
            return stop(false);
        }

        /** SIGINT (as Ctrl-C sends), then the exit status and how long the process took to end. */
        long[] interrupt() throws Exception {
            return stop(true);
        }

        private long[] stop(boolean sigint) throws Exception {
            long t0 = System.nanoTime();
            if (sigint) {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            } else {
                process.destroy();   // SIGTERM
            }
            boolean ended = process.waitFor(20, TimeUnit.SECONDS);
            long took = System.nanoTime() - t0;
            if (!ended) {
                process.destroyForcibly();
                process.waitFor();
            }
            return new long[] {ended ? process.exitValue() : -1, took};
        }
    }

    private Fathom start(VethPair v, String... options) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Dfathom.state.dir=" + dir.resolve("state"));
        cmd.add("org.fathom.cli.Main");
        cmd.add("live");
        cmd.add("-i");
        cmd.add(v.captureIf);
        cmd.add("--subscriber-networks");
        cmd.add("none");
        cmd.add("--audit-log");
        cmd.add(dir.resolve("audit.log").toString());
        cmd.addAll(List.of(options));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        return new Fathom(v.startInCapture(cmd, out, err), out, err);
    }

    private static List<Map<String, Object>> flows(Path file) throws IOException {
        return JsonLines.flows(Files.readString(file));
    }

    private static String text(Map<String, Object> m, String key) {
        return String.valueOf(m.get(key));
    }

    private static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @Test
    void capturesIcmpUdpAndTcpAcrossAVethAndStopsCleanlyOnSigterm() throws Exception {
        VethPair.assumeUsable();
        assumeHping3();
        Path flowsFile = dir.resolve("flows.jsonl");
        try (VethPair v = VethPair.create()) {
            Fathom f = start(v, "--flows", flowsFile.toString(), "-w", "2");
            try {
                f.awaitCapturing();
                // 20 echo requests (and their 20 replies), 5 UDP datagrams from one port to a closed
                // port (5 port-unreachable errors come back), one SYN to a closed TCP port (RST back)
                v.inPeer("hping3", "-q", "--icmp", "-c", "20", "-i", "u20000", v.captureAddr);
                v.inPeer("hping3", "-q", "-2", "-s", "40000", "-k", "-p", "9999", "-c", "5", "-i", "u20000", v.captureAddr);
                v.inPeer("hping3", "-q", "-S", "-s", "41000", "-k", "-p", "80", "-c", "1", v.captureAddr);
                Thread.sleep(300);   // the last replies reach the capture
            } finally {
                long[] r = f.terminate();
                assertThat(r[0]).as("exit status; stderr: %s", f.err()).isZero();
                assertThat(r[1]).as("nanoseconds from SIGTERM to exit").isLessThan(5_000_000_000L);
            }
            String err = f.err();
            List<String> lines = err.lines().toList();
            assertThat(lines.getLast()).as("stderr: %s%nstdout: %s", err, f.out()).matches("fathom: stopped by SIGINT/SIGTERM after \\d+ packets; all records written");
            assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
            String summary = f.out();
            assertThat(summary).contains("Interfaces " + v.captureIf + ", live (Ethernet)")
                    .containsPattern("Captured +\\d+ packets; dropped 0 by the kernel");

            List<Map<String, Object>> flows = flows(flowsFile);
            Map<String, Object> echo = flows.stream().filter(n -> text(n, "l4").equals("ICMP")
                    && text(n, "src_ip").equals(v.peerAddr)).findFirst().orElseThrow();
            assertThat(text(echo, "dst_ip")).isEqualTo(v.captureAddr);
            assertThat(number(echo, "packets_c2s")).isEqualTo(20);
            // ICMP is keyed by the address pair: the 20 echo replies and the 5 port-unreachable errors
            assertThat(number(echo, "packets_s2c")).isEqualTo(25);
            assertThat(text(echo, "end_reason")).isEqualTo("end_of_input");

            Map<String, Object> udp = flows.stream().filter(n -> text(n, "l4").equals("UDP")).findFirst().orElseThrow();
            assertThat(number(udp, "src_port")).isEqualTo(40000);
            assertThat(number(udp, "dst_port")).isEqualTo(9999);
            assertThat(number(udp, "packets_c2s")).isEqualTo(5);
            assertThat(text(udp, "end_reason")).isEqualTo("end_of_input");
            assertThat(flows.stream().filter(n -> text(n, "l4").equals("UDP"))).hasSize(1);

            Map<String, Object> tcp = flows.stream().filter(n -> text(n, "l4").equals("TCP")).findFirst().orElseThrow();
            assertThat(number(tcp, "dst_port")).isEqualTo(80);
            assertThat(number(tcp, "packets_c2s")).isEqualTo(1);
            assertThat(number(tcp, "packets_s2c")).isEqualTo(1);
            assertThat(text(tcp, "end_reason")).isEqualTo("rst");

            // the audit log was closed by the run (its last entry) and its chain verifies
            List<String> audit = Files.readAllLines(dir.resolve("audit.log"));
            assertThat(audit.getLast()).contains("\"event\":\"run_finished\"");
            AnalyzeCommandTest.Run verify = AnalyzeCommandTest.fathom("audit", "verify", dir.resolve("audit.log").toString());
            assertThat(verify.status()).isZero();
        }
    }

    @Test
    void sigtermInTheMiddleOfAFloodEndsWithinFiveSecondsAndLosesNoRecord() throws Exception {
        VethPair.assumeUsable();
        assumeHping3();
        Path flowsFile = dir.resolve("flows.jsonl");
        try (VethPair v = VethPair.create()) {
            Fathom f = start(v, "--flows", flowsFile.toString(), "-w", "2");
            Process flood = null;
            long[] r;
            try {
                f.awaitCapturing();
                // one UDP flow as fast as hping3 can send, bounded in time; fathom is stopped while it runs
                flood = new ProcessBuilder("ip", "netns", "exec", v.peer, "timeout", "-s", "INT", "4", "hping3", "-q", "-2",
                        "-s", "45000", "-k", "-p", "9996", "--flood", v.captureAddr)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                Thread.sleep(1_500);
            } finally {
                r = f.terminate();
                if (flood != null) {
                    flood.destroy();
                    flood.waitFor(10, TimeUnit.SECONDS);
                }
            }
            assertThat(r[0]).as("exit status; stderr: %s", f.err()).isZero();
            assertThat(r[1]).as("nanoseconds from SIGTERM to exit").isLessThan(5_000_000_000L);
            String summary = f.out();
            long flowsInSummary = summaryNumber(summary, "Flows +([\\d,]+)");
            long ipPackets = summaryNumber(summary, "Decoded +([\\d,]+) IP packets");
            List<Map<String, Object>> flows = flows(flowsFile);
            assertThat(flows).hasSize((int) flowsInSummary);
            long recorded = flows.stream().mapToLong(m -> number(m, "packets_c2s") + number(m, "packets_s2c")).sum();
            assertThat(ipPackets).isGreaterThan(1_000);
            assertThat(recorded).as("packets in the records").isEqualTo(ipPackets);
            assertThat(flows).anySatisfy(m -> {
                assertThat(number(m, "dst_port")).isEqualTo(9996);
                assertThat(text(m, "end_reason")).isEqualTo("end_of_input");
            });
        }
    }

    private static long summaryNumber(String summary, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(summary);
        assertThat(m.find()).as("%s in %s", regex, summary).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void liveRecordsEqualThoseOfAnalyzeOverATcpdumpCaptureOfTheSameTraffic() throws Exception {
        VethPair.assumeUsable();
        assumeHping3();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcpdump")), "needs tcpdump");
        Path liveFlows = dir.resolve("live.jsonl");
        Path pcap = dir.resolve("same.pcap");
        Path analyzedFlows = dir.resolve("analyzed.jsonl");
        try (VethPair v = VethPair.create()) {
            Path dumpErr = dir.resolve("tcpdump.err");
            Process dump = new ProcessBuilder("ip", "netns", "exec", v.capture, "tcpdump", "-i", v.captureIf, "-U", "--immediate-mode", "-n",
                    "-w", pcap.toString()).redirectErrorStream(true).redirectOutput(dumpErr.toFile()).start();
            Fathom f = start(v, "--flows", liveFlows.toString(), "-w", "2");
            try {
                f.awaitCapturing();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!Files.readString(dumpErr).contains("listening on") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                v.inPeer("hping3", "-q", "--icmp", "-c", "10", "-i", "u20000", v.captureAddr);
                v.inPeer("hping3", "-q", "-2", "-s", "46000", "-k", "-p", "9995", "-c", "4", "-i", "u20000", v.captureAddr);
                v.inPeer("hping3", "-q", "-S", "-p", "443", "-c", "6", "-i", "u20000", v.captureAddr);
                // tcpdump stops at SIGINT without reading what the kernel still holds for it: on a
                // busy machine (load 10-15) 300 ms was too short and its file lost the last packets
                Thread.sleep(1500);
            } finally {
                long[] r = f.terminate();
                // tcpdump does not write what the kernel still holds for it when SIGINT comes (without
                // immediate mode, up to a second of packets): immediate mode, and a moment first
                Thread.sleep(300);
                new ProcessBuilder("kill", "-INT", Long.toString(dump.pid())).start().waitFor(10, TimeUnit.SECONDS);
                assertThat(dump.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(r[0]).as("exit status; stderr: %s", f.err()).isZero();
            }
            // the live run's audit log, so its key too: the same flows get the same flow_id
            AnalyzeCommandTest.Run a = AnalyzeCommandTest.fathom("analyze", pcap.toString(), "-w", "1", "--subscriber-networks",
                    "none", "--flows", analyzedFlows.toString(), "--active-timeout", "300",
                    "--audit-log", dir.resolve("audit.log").toString());
            assertThat(a.status()).as(a.err()).isZero();
            List<String> live = sorted(flows(liveFlows));
            assertThat(live).hasSizeGreaterThanOrEqualTo(8);   // ICMP, UDP, 6 SYN/RST flows
            assertThat(live).isEqualTo(sorted(flows(analyzedFlows)));
        }
    }

    @Test
    void twoInterfacesAreMergedIntoOneRun() throws Exception {
        VethPair.assumeUsable();
        assumeHping3();
        Path flowsFile = dir.resolve("flows.jsonl");
        try (VethPair v = VethPair.create()) {
            // the veth, and the capture namespace's own loopback (nothing else uses it)
            Fathom f = start(v, "--flows", flowsFile.toString(), "-w", "2", "-i", "lo");
            try {
                f.awaitCapturing();
                v.inPeer("hping3", "-q", "--icmp", "-c", "5", "-i", "u20000", v.captureAddr);
                v.inCapture("hping3", "-q", "-2", "-s", "43000", "-k", "-p", "9997", "-c", "3", "-i", "u20000", "127.0.0.1");
                Thread.sleep(300);
            } finally {
                long[] r = f.terminate();
                assertThat(r[0]).as("exit status; stderr: %s", f.err()).isZero();
            }
            assertThat(f.out()).contains("Interfaces " + v.captureIf + ", lo, live (Ethernet)")
                    // the veth: 10 ICMP and the ARP exchange before them; lo: 3 datagrams, 3 ICMP errors
                    .containsPattern("  " + v.captureIf + " +1\\d captured, 0 dropped by the kernel")
                    .containsPattern("  lo +6 captured, 0 dropped by the kernel");
            List<Map<String, Object>> flows = flows(flowsFile);
            assertThat(flows).anySatisfy(m -> {
                assertThat(text(m, "l4")).isEqualTo("ICMP");
                assertThat(text(m, "src_ip")).isEqualTo(v.peerAddr);
                assertThat(number(m, "packets_c2s")).isEqualTo(5);
                assertThat(number(m, "packets_s2c")).isEqualTo(5);
            });
            assertThat(flows).anySatisfy(m -> {
                assertThat(text(m, "l4")).isEqualTo("UDP");
                assertThat(text(m, "dst_ip")).isEqualTo("127.0.0.1");
                assertThat(number(m, "dst_port")).isEqualTo(9997);
                assertThat(number(m, "packets_c2s")).isEqualTo(3);
            });
        }
    }

    @Test
    void aQuietFlowEndsAsIdleByTheWallClockWhileCaptureGoesOn() throws Exception {
        VethPair.assumeUsable();
        assumeHping3();
        Path flowsFile = dir.resolve("flows.jsonl");
        try (VethPair v = VethPair.create()) {
            Fathom f = start(v, "--flows", flowsFile.toString(), "-w", "1", "--udp-timeout", "1");
            try {
                f.awaitCapturing();
                v.inPeer("hping3", "-q", "-2", "-s", "42000", "-k", "-p", "9998", "-c", "3", "-i", "u20000", v.captureAddr);
                Thread.sleep(3_000);   // nothing on the link: only the wall clock moves
                assertThat(f.process.isAlive()).isTrue();
            } finally {
                long[] r = f.interrupt();
                assertThat(r[0]).as("exit status; stderr: %s", f.err()).isZero();
                assertThat(r[1]).as("nanoseconds from SIGINT to exit").isLessThan(5_000_000_000L);
            }
            assertThat(f.err()).contains("fathom: stopped by SIGINT/SIGTERM after ");
            Map<String, Object> udp = flows(flowsFile).stream().filter(n -> text(n, "l4").equals("UDP")).findFirst().orElseThrow();
            assertThat(number(udp, "packets_c2s")).isEqualTo(3);
            assertThat(text(udp, "end_reason")).isEqualTo("idle");
        }
    }

    @Test
    void aLongFlowEmitsInterimRecordsEveryActiveTimeout() throws Exception {
        VethPair.assumeUsable();
        assumeHping3();
        Path flowsFile = dir.resolve("flows.jsonl");
        try (VethPair v = VethPair.create()) {
            Fathom f = start(v, "--flows", flowsFile.toString(), "-w", "2", "--active-timeout", "1");
            try {
                f.awaitCapturing();
                v.inPeer("hping3", "-q", "--icmp", "-c", "25", "-i", "u100000", v.captureAddr);   // 2.5 s
                Thread.sleep(300);   // the last reply reaches the capture
            } finally {
                long[] r = f.terminate();
                assertThat(r[0]).as("exit status; stderr: %s", f.err()).isZero();
            }
            List<Map<String, Object>> echo = flows(flowsFile).stream()
                    .filter(m -> text(m, "l4").equals("ICMP") && text(m, "src_ip").equals(v.peerAddr)).toList();
            assertThat(echo.size()).isBetween(2, 4);
            assertThat(echo.subList(0, echo.size() - 1)).allSatisfy(m -> assertThat(text(m, "end_reason")).isEqualTo("active"));
            assertThat(text(echo.getLast(), "end_reason")).isEqualTo("end_of_input");
            // counters are deltas: the records add up to the flow
            assertThat(echo.stream().mapToLong(m -> number(m, "packets_c2s")).sum()).as("%s", echo).isEqualTo(25);
            assertThat(echo.stream().mapToLong(m -> number(m, "packets_s2c")).sum()).as("%s", echo).isEqualTo(25);
        }
    }

    @Test
    void anInterfaceThatDoesNotExistIsOneLineAndStatus2() {
        VethPair.assumeUsable();
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("live", "-i", "fathom-nosuch9", "-q");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("fathom: fathom-nosuch9: no such interface");
    }

    @Test
    void aBadFilterIsOneLineNamingTheFilter() {
        VethPair.assumeUsable();
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("live", "-i", "lo", "--filter", "tcp port http-nonsense", "-q");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("fathom: bad --filter 'tcp port http-nonsense': ");
    }

    @Test
    void captureNotPermittedIsOneLine() throws Exception {
        VethPair.assumeUsable();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux) to drop capabilities");
        List<String> cmd = List.of("/usr/bin/setpriv", "--inh-caps=-all", "--bounding-set=-net_raw,-net_admin", "--",
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dfathom.state.dir=" + dir.resolve("state"), "org.fathom.cli.Main", "live", "-i", "lo", "-q");
        Process p = new ProcessBuilder(cmd).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err.lines().toList()).singleElement().asString().startsWith("fathom: lo: capture not permitted");
    }

    @Test
    void missingLibpcapIsOneLine() throws Exception {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-Dfathom.libpcap=libpcap-fathom-absent.so.9", "-cp", System.getProperty("java.class.path"),
                "-Dfathom.state.dir=" + dir.resolve("state"), "org.fathom.cli.Main", "live", "-i", "lo", "-q");
        Process p = new ProcessBuilder(cmd).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err.lines().toList()).singleElement().asString()
                .startsWith("fathom: libpcap not found: libpcap-fathom-absent.so.9 cannot be loaded")
                .endsWith("install it, e.g. apt-get install libpcap0.8");
    }

    @Test
    void helpNamesTheLiveOptionsAndTheSharedOnes() {
        String help = AnalyzeCommandTest.fathom("live", "--help").out();
        assertThat(help).contains("-i, --interface=IFACE", "--filter=BPF", "--snaplen=N", "--[no-]promiscuous",
                "--buffer-size=BYTES", "--flows=FILE", "--flows-dir=DIR", "--calls=FILE", "--alerts=FILE",
                "--aggregates=FILE", "--privacy=MODE", "--services=FILE", "--addresses=FILE", "--alert-thresholds=FILE",
                "--workers=N", "--max-flows=N", "--udp-timeout=SECONDS", "--active-timeout=SECONDS", "--sink-queue=N",
                "--on-full=block|drop", "--quiet", "SIGTERM");
    }

    @Test
    void aReplayedCaptureGivesTheRecordsOfAnalyzeWithoutPrivileges() throws IOException {
        Path sample = Path.of("..", "samples", "http-loopback.pcap");
        Path live = dir.resolve("live.jsonl");
        Path analyzed = dir.resolve("analyzed.jsonl");
        long t0 = System.nanoTime();
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("live", "-r", sample.toString(), "--replay", "-w", "2",
                "--subscriber-networks", "none", "--flows", live.toString());
        long took = System.nanoTime() - t0;
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Replayed   72 packets");
        assertThat(r.errLines()).singleElement().asString().startsWith("fathom: replaying ");
        assertThat(took).as("the sample spans 0.11 s of capture time").isGreaterThan(100_000_000L);
        assertThat(AnalyzeCommandTest.fathom("analyze", sample.toString(), "-w", "1", "--subscriber-networks", "none",
                "--flows", analyzed.toString()).status()).isZero();
        assertThat(sorted(JsonLines.flows(Files.readString(live)))).isEqualTo(sorted(JsonLines.flows(Files.readString(analyzed))));
    }

    @Test
    void flowsDirGetsOneFilePerRunNamedAfterTheSourceAndStartTime() throws IOException {
        Path out = dir.resolve("flows");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("live", "-r", "../samples/http-loopback.pcap", "--replay",
                "-q", "--subscriber-networks", "none", "--flows-dir", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        try (var files = Files.list(out)) {
            List<Path> l = files.toList();
            assertThat(l).singleElement().satisfies(f ->
                    assertThat(f.getFileName().toString()).matches("http-loopback\\.pcap-\\d{8}T\\d{6}Z\\.jsonl"));
            assertThat(JsonLines.flows(Files.readString(l.getFirst()))).hasSize(6);
        }
    }

    @Test
    void readingAFileNeedsReplayAndExactlyOneKindOfSource() {
        AnalyzeCommandTest.Run noReplay = AnalyzeCommandTest.fathom("live", "-r", "../samples/http-loopback.pcap");
        assertThat(noReplay.status()).isEqualTo(2);
        assertThat(noReplay.errLines()).singleElement().asString().contains("-r needs --replay");
        AnalyzeCommandTest.Run none = AnalyzeCommandTest.fathom("live");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.errLines()).singleElement().asString().contains("-i IFACE");
    }

    private static List<String> sorted(List<Map<String, Object>> flows) {
        return flows.stream().map(Object::toString).sorted().toList();
    }
}
