package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fathom.inline.InlineLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom inline} in the forwarding path of a router namespace ({@link InlineLab}: iptables
 * FORWARD -j NFQUEUE --queue-bypass), with real clients and servers in the end namespaces. Skips
 * unless root with ip and iptables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InlineCommandTest {
    static final int QUEUE = 5;
    InlineLab lab;
    @TempDir
    Path dir;

    @BeforeAll
    void lab() throws Exception {
        InlineLab.assumeUsable();
        InlineLab.assumeTools("ping");
        lab = InlineLab.create();
        try {
            lab.queueForwarded(QUEUE);
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Every fathom started, so none outlives a failed test. */
    final List<Fathom> running = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void stopAll() throws Exception {
        for (Fathom f : running) {
            if (f.process.isAlive()) {
                f.kill9();
            }
        }
        running.clear();
    }

    @AfterAll
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /** fathom inline running in the router namespace. */
    static final class Fathom {
        final Process process;
        final Path out;
        final Path err;

        Fathom(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        String err() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return "";
            }
        }

        String out() throws IOException {
            return Files.readString(out);
        }

        void awaitAnswering() throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!err().contains("fathom: answering ")) {
                assertThat(process.isAlive()).as("fathom exited early: %s", err()).isTrue();
                assertThat(System.nanoTime()).as("fathom did not start: %s", err()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        /** SIGTERM; the exit status. */
        int terminate() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                return -1;
            }
            return process.exitValue();
        }

        void kill9() throws Exception {
            new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    Fathom start(String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", InlineLab.R,
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dfathom.state.dir=" + dir.resolve("state"), "org.fathom.cli.Main", "inline", "--queue", Integer.toString(QUEUE)));
        cmd.addAll(List.of(options));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Fathom f = new Fathom(p, out, err);
        running.add(f);
        return f;
    }

    /** ping from A to B: the number of replies. */
    static int ping(int count, String interval) throws Exception {
        String out;
        try {
            out = InlineLab.in(InlineLab.A, "ping", "-n", "-q", "-c", Integer.toString(count), "-i", interval, "-W", "1", InlineLab.B_IP);
        } catch (IOException e) {
            out = e.getMessage();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) received").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Test
    void sigtermAnswersEveryQueuedPacketAndKillMinusNineWithFailOpenLeavesTrafficFlowing() throws Exception {
        Path flows = dir.resolve("flows.jsonl");
        Fathom f = start("--fail-open", "-w", "1", "--flows", flows.toString());
        f.awaitAnswering();
        assertThat(ping(5, "0.1")).isEqualTo(5);
        // a steady stream while fathom stops: no packet may be left without a verdict
        Process stream = InlineLab.start(InlineLab.A, dir.resolve("stream.txt"), "ping", "-n", "-q", "-c", "400", "-i", "0.005",
                "-W", "1", InlineLab.B_IP);
        Thread.sleep(800);
        assertThat(f.terminate()).as(f.err()).isZero();
        assertThat(stream.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String streamed = Files.readString(dir.resolve("stream.txt"));
        assertThat(streamed).as("a stream through a stopping fathom").contains("400 received");
        assertThat(f.out()).contains("Queue      nfqueue " + QUEUE + ": ").contains(" packets answered: ");
        assertThat(f.err()).contains("stopped by SIGTERM".replace("SIGTERM", "SIGINT/SIGTERM"));
        assertThat(Files.readString(flows)).contains("\"l4\":\"ICMP\"");

        // kill -9: the kernel unbinds the queue and, with --queue-bypass, forwards without it
        Fathom g = start("--fail-open", "-w", "2");
        g.awaitAnswering();
        assertThat(ping(3, "0.1")).isEqualTo(3);
        g.kill9();
        assertThat(ping(5, "0.1")).as("traffic after kill -9").isEqualTo(5);
    }

    @Test
    void severalQueuesAreAnsweredByOneFathom() throws Exception {
        // ICMP goes to queue 6 (a rule before the one that queues everything to 5)
        InlineLab.in(InlineLab.R, lab.iptables(), "-I", "FORWARD", "1", "-p", "icmp", "-j", "NFQUEUE", "--queue-num", "6",
                "--queue-bypass");
        try {
            Fathom f = start("--queue", "6", "-w", "2");
            f.awaitAnswering();
            assertThat(f.err()).contains("answering nfqueue " + QUEUE + ",6");
            assertThat(ping(4, "0.1")).isEqualTo(4);
            assertThat(InlineLab.in(InlineLab.R, "cat", "/proc/net/netfilter/nfnetlink_queue"))
                    .as("both queues bound").containsPattern("(?m)^\\s+" + QUEUE + "\\s").containsPattern("(?m)^\\s+6\\s");
            assertThat(f.terminate()).isZero();
            assertThat(f.out()).containsPattern("Queue      nfqueue " + QUEUE + ",6: ([8-9]|[1-9]\\d+) packets answered");
        } finally {
            InlineLab.in(InlineLab.R, lab.iptables(), "-D", "FORWARD", "1");
        }
        assertThat(ping(2, "0.1")).isEqualTo(2);
    }

    @Test
    void aQueueAlreadyBoundIsOneLineAndStatusTwo() throws Exception {
        Fathom f = start();
        try {
            f.awaitAnswering();
            Fathom g = start("-q");
            assertThat(g.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(g.process.exitValue()).isEqualTo(2);
            assertThat(g.err().lines().toList()).singleElement().asString()
                    .isEqualTo("fathom: queue " + QUEUE + " is already bound by another program (one listener per queue)");
        } finally {
            assertThat(f.terminate()).isZero();
        }
    }

    static final String POLICY = """
            policy:
              name: inline-test
              rules:
                - name: emergency-calls-first
                  match: { emergency_call: true }
                  action: prioritise
                - name: block-spam-runs
                  match: { alert: spam_run }
                  action: block
                  for: 8s
                - name: no-forbidden-tls
                  match: { sni: "*.forbidden.test" }
                  action: block
                - name: no-forbidden-web
                  match: { host: forbidden.test }
                  action: block
                - name: throttle-bulk
                  match: { port: 7000, l4: udp }
                  action: rate_limit
                  rate: 2mbit
              default: allow
            """;

    static final String SMTP_SINK = """
            import socketserver
            class H(socketserver.StreamRequestHandler):
                def handle(self):
                    self.wfile.write(b'220 sink ESMTP\\r\\n')
                    data = False
                    for line in self.rfile:
                        if data:
                            if line.strip() == b'.':
                                data = False
                                self.wfile.write(b'250 queued\\r\\n')
                            continue
                        cmd = line[:4].upper()
                        if cmd == b'DATA':
                            data = True
                            self.wfile.write(b'354 go on\\r\\n')
                        elif cmd == b'QUIT':
                            self.wfile.write(b'221 bye\\r\\n')
                            return
                        else:
                            self.wfile.write(b'250 ok\\r\\n')
            class S(socketserver.ThreadingTCPServer):
                allow_reuse_address = True
                daemon_threads = True
            S(('10.77.2.2', 25), H).serve_forever()
            """;

    static final String SPAM_RUN = """
            import smtplib
            n = 0
            try:
                s = smtplib.SMTP('10.77.2.2', 25, timeout=2)
                s.ehlo('bulk.spammer.test')
                s.mail('offers@spammer.test')
                for i in range(130):
                    s.rcpt('victim%d@example.test' % i)
                    n += 1
                s.quit()
                print('rcpts', n, 'completed')
            except Exception as e:
                print('rcpts', n, 'stopped', type(e).__name__)
            """;

    static final String SMTP_PROBE = """
            import smtplib
            s = smtplib.SMTP('10.77.2.2', 25, timeout=2)
            s.noop()
            s.quit()
            """;

    /** Waits until B's sockets listen on every one of {@code ports} (as ss prints them, ":8080 "). */
    static void awaitListening(List<String> ports) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            String ss = InlineLab.in(InlineLab.B, "ss", "-lntu");
            if (ports.stream().allMatch(ss::contains)) {
                return;
            }
            assertThat(System.nanoTime()).as("servers in B did not start listening: %s", ss).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Runs python3 code in namespace A: its exit status. */
    static int python(String ns, String code) throws Exception {
        return InlineLab.status(ns, "python3", "-c", code);
    }

    @Test
    void aPolicyBlocksPrioritisesAndRateLimitsRealTraffic() throws Exception {
        InlineLab.assumeTools("python3", "curl", "openssl", "sipp", "tcpdump");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        Path alerts = dir.resolve("alerts.jsonl");
        Path verdicts = dir.resolve("verdicts.jsonl");
        Path calls = dir.resolve("calls.jsonl");
        List<Process> servers = new ArrayList<>();
        Fathom f = start("--policy", policy.toString(), "-w", "1", "--alerts", alerts.toString(), "--verdicts",
                verdicts.toString(), "--calls", calls.toString(), "--flows", dir.resolve("flows.jsonl").toString());
        try {
            f.awaitAnswering();
            // servers in B: HTTP, TLS (any name), SMTP sink, SIP answering with RTP echo
            servers.add(InlineLab.start(InlineLab.B, dir.resolve("http.txt"), "python3", "-m", "http.server", "8080",
                    "--bind", InlineLab.B_IP));
            InlineLab.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "1",
                    "-subj", "/CN=inline.test");
            servers.add(InlineLab.start(InlineLab.B, dir.resolve("tls.txt"), "openssl", "s_server", "-accept", InlineLab.B_IP + ":4433",
                    "-cert", dir.resolve("cert.pem").toString(), "-key", dir.resolve("key.pem").toString(), "-www"));
            servers.add(InlineLab.start(InlineLab.B, dir.resolve("smtp.txt"), "python3", "-c", SMTP_SINK));
            Path sippDir = Path.of(getClass().getResource("/inline/uac_call_rtp.xml").toURI()).getParent();
            servers.add(new ProcessBuilder("ip", "netns", "exec", InlineLab.B, "sipp", "-sf", "uas_answer.xml", "-i", InlineLab.B_IP,
                    "-p", "5060", "-mp", "20000", "-rtp_echo", "-m", "2", "-timeout", "30s", "-default_behaviors", "none", "-nostdin")
                    .directory(sippDir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("uas.txt").toFile()).start());
            awaitListening(List.of(":8080 ", ":4433 ", ":25 ", ":5060 "));

            // web: the forbidden host gets no answer, another does
            assertThat(InlineLab.in(InlineLab.A, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                    "http://" + InlineLab.B_IP + ":8080/")).isEqualTo("200");
            assertThat(InlineLab.status(InlineLab.A, "curl", "-s", "-o", "/dev/null", "--max-time", "3", "-H", "Host: forbidden.test",
                    "http://" + InlineLab.B_IP + ":8080/")).as("curl to the forbidden host").isNotZero();

            // TLS with SNI: a forbidden name does not complete its handshake, another name does
            assertThat(InlineLab.in(InlineLab.A, "sh", "-c", "timeout 5 openssl s_client -connect " + InlineLab.B_IP
                    + ":4433 -servername www.allowed.test </dev/null 2>&1")).contains("Cipher is");
            String forbidden;
            try {
                forbidden = InlineLab.in(InlineLab.A, "sh", "-c", "timeout 4 openssl s_client -connect " + InlineLab.B_IP
                        + ":4433 -servername www.forbidden.test </dev/null 2>&1");
            } catch (IOException e) {
                forbidden = e.getMessage();
            }
            assertThat(forbidden).doesNotContain("Cipher is");

            // calls: an emergency call (112) and an ordinary one, each with RTP; tcpdump on the far side
            Path pcap = dir.resolve("calls.pcap");
            Process dump = InlineLab.start(InlineLab.B, dir.resolve("tcpdump.txt"), "tcpdump", "-i", InlineLab.B_IF, "-U", "-n",
                    "-w", pcap.toString(), "udp and src host " + InlineLab.A_IP);
            Thread.sleep(800);
            for (String[] call : new String[][] {{"112", "6060", "30000"}, {"2001", "6070", "30010"}}) {
                Process uac = new ProcessBuilder("ip", "netns", "exec", InlineLab.A, "sipp", InlineLab.B_IP + ":5060", "-sf",
                        "uac_call_rtp.xml", "-i", InlineLab.A_IP, "-p", call[1], "-mp", call[2], "-s", call[0], "-m", "1",
                        "-timeout", "20s", "-default_behaviors", "none", "-nostdin")
                        .directory(sippDir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("uac" + call[0] + ".txt").toFile()).start();
                assertThat(uac.waitFor(25, TimeUnit.SECONDS)).isTrue();
                assertThat(uac.exitValue()).as("sipp call to %s: %s", call[0], Files.readString(dir.resolve("uac" + call[0] + ".txt"))).isZero();
            }
            Thread.sleep(500);
            InlineLab.run("kill", "-INT", Long.toString(dump.pid()));
            dump.waitFor(10, TimeUnit.SECONDS);
            int[] emergency = new int[2];   // packets with EF, without
            List<String> unmarked = new ArrayList<>();
            int[] ordinary = new int[2];
            try (org.fathom.capture.CaptureReader r = org.fathom.capture.CaptureFiles.open(pcap)) {
                org.fathom.capture.Packet p = new org.fathom.capture.Packet();
                while (r.read(p) == org.fathom.capture.PacketSource.PACKET) {
                    int ip = 14;
                    int dscp = (p.data[ip + 1] & 0xff) >>> 2;
                    int l4 = ip + (p.data[ip] & 0x0f) * 4;
                    int sport = (p.data[l4] & 0xff) << 8 | (p.data[l4 + 1] & 0xff);
                    assertThat(org.fathom.inline.Dscp.ipv4ChecksumValid(p.data, ip)).isTrue();
                    int[] c = sport == 6060 || sport >= 30000 && sport < 30004 ? emergency
                            : sport == 6070 || sport >= 30010 && sport < 30014 ? ordinary : null;
                    if (c != null) {
                        c[dscp == 46 ? 0 : 1]++;
                        if (c == emergency && dscp != 46) {
                            int at = l4 + 8;
                            String head = new String(p.data, at, Math.min(40, p.length - at), java.nio.charset.StandardCharsets.ISO_8859_1);
                            unmarked.add(sport + ">" + ((p.data[l4 + 2] & 0xff) << 8 | (p.data[l4 + 3] & 0xff)) + " " + head.lines().findFirst().orElse(""));
                        }
                    }
                }
            }
            assertThat(emergency[0]).as("emergency call packets (SIP and RTP) with DSCP EF").isGreaterThan(40);
            assertThat(unmarked).as("emergency call packets without EF").isEmpty();
            assertThat(ordinary[1]).as("ordinary call packets without EF").isGreaterThan(40);
            assertThat(ordinary[0]).as("ordinary call packets with EF").isZero();

            // a rate-limited flow: 4 Mbit/s offered, 2 Mbit/s allowed
            Path rateOut = dir.resolve("rate.txt");
            Process rr = InlineLab.receiver(7000, 5, false, rateOut);
            InlineLab.send(7000, 1500, 1000, 2000, false, 0);
            long[] res = InlineLab.result(rr, rateOut);
            double seconds = (res[3] - res[2]) / 1e9;
            double bits = (res[1] + res[0] * 28.0) * 8 - org.fathom.inline.TokenBuckets.burstBytes(2_000_000) * 8.0;
            assertThat(bits / seconds).as("throughput of the rate-limited flow, bit/s").isBetween(1_800_000.0, 2_200_000.0);

            // a spam run: the source is blocked once the attack detector flags it, and again free after for: 8s
            String run = InlineLab.in(InlineLab.A, "python3", "-c", SPAM_RUN);
            long flagged = System.nanoTime();
            assertThat(run).as("the spam run is cut off").contains("stopped");
            int rcpts = Integer.parseInt(run.trim().split(" ")[1]);
            assertThat(rcpts).isBetween(95, 129);
            assertThat(python(InlineLab.A, SMTP_PROBE)).as("SMTP from the flagged source while blocked").isNotZero();
            assertThat(InlineLab.status(InlineLab.A, "ping", "-c", "1", "-W", "1", InlineLab.B_IP)).as("ping while blocked").isNotZero();
            long wait = flagged + 9_000_000_000L - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
            assertThat(python(InlineLab.A, SMTP_PROBE)).as("SMTP after the block ended").isZero();
        } finally {
            for (Process p : servers) {
                p.destroy();
            }
        }
        assertThat(f.terminate()).as(f.err()).isZero();
        String summary = f.out();
        assertThat(summary).contains("applied inline").contains("no-forbidden-web").contains("emergency-calls-first")
                .contains("block-spam-runs");
        assertThat(Files.readString(alerts)).contains("\"spam_run\"");
        assertThat(Files.readString(calls)).contains("\"emergency\":true");
        assertThat(Files.readString(verdicts)).contains("block-spam-runs");
        System.err.println(summary);
    }
}
