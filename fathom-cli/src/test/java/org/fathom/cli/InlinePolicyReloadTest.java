package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fathom.inline.InlineLab;
import org.fathom.inline.NfQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP to a running {@code fathom inline --policy FILE} in the forwarding path of a router
 * namespace: the policy file rewritten from "report HTTP" to "block HTTP" stops a keep-alive HTTP
 * connection that was open all along (at its next request) and new HTTP connections, while ping
 * goes on; a garbage file keeps the blocking policy and says where it is wrong; the audit log has
 * both reloads and verifies.
 *
 * <p>Namespaces of its own, removed also on failure ({@code f-pol2-a}, {@code f-pol2-r},
 * {@code f-pol2-b}; 10.79.1.0/24 and 10.79.2.0/24), queue 23: it does not meet the other inline
 * tests' {@code f-inl-*} lab or queues 5 and 6.
 */
class InlinePolicyReloadTest {
    static final int QUEUE = 23;
    static final String A = "f-pol2-a";
    static final String R = "f-pol2-r";
    static final String B = "f-pol2-b";
    static final String A_IP = "10.79.1.2";
    static final String B_IP = "10.79.2.2";

    @TempDir
    Path dir;

    static void removeNamespaces() {
        for (String ns : new String[] {A, R, B}) {
            try {
                Process p = new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                // not there
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void createLab() throws Exception {
        removeNamespaces();   // leftovers of a killed run
        InlineLab.run("ip", "netns", "add", R);
        InlineLab.run("ip", "netns", "add", A);
        InlineLab.run("ip", "netns", "add", B);
        InlineLab.run("ip", "link", "add", "f-pol2-ra", "netns", R, "type", "veth", "peer", "name", "f-pol2-a0", "netns", A);
        InlineLab.run("ip", "link", "add", "f-pol2-rb", "netns", R, "type", "veth", "peer", "name", "f-pol2-b0", "netns", B);
        side(A, "f-pol2-a0", A_IP + "/24", "10.79.1.1");
        side(B, "f-pol2-b0", B_IP + "/24", "10.79.2.1");
        InlineLab.run("ip", "netns", "exec", R, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        InlineLab.run("ip", "-n", R, "link", "set", "lo", "up");
        InlineLab.run("ip", "-n", R, "addr", "add", "10.79.1.1/24", "dev", "f-pol2-ra");
        InlineLab.run("ip", "-n", R, "addr", "add", "10.79.2.1/24", "dev", "f-pol2-rb");
        InlineLab.run("ip", "-n", R, "link", "set", "f-pol2-ra", "up");
        InlineLab.run("ip", "-n", R, "link", "set", "f-pol2-rb", "up");
        String[] rule = {"-A", "FORWARD", "-j", "NFQUEUE", "--queue-num", Integer.toString(QUEUE), "--queue-bypass"};
        try {
            InlineLab.in(R, cat("iptables", rule));
        } catch (IOException e) {
            InlineLab.in(R, cat("iptables-legacy", rule));
        }
    }

    private static String[] cat(String first, String[] rest) {
        String[] c = new String[rest.length + 1];
        c[0] = first;
        System.arraycopy(rest, 0, c, 1, rest.length);
        return c;
    }

    private static void side(String ns, String dev, String v4, String gw) throws Exception {
        InlineLab.run("ip", "-n", ns, "link", "set", "lo", "up");
        InlineLab.run("ip", "-n", ns, "addr", "add", v4, "dev", dev);
        InlineLab.run("ip", "-n", ns, "link", "set", dev, "up");
        InlineLab.run("ip", "-n", ns, "route", "add", "default", "via", gw);
    }

    /** An HTTP/1.1 server (keep-alive) on B:8080. */
    static final String SERVER = """
            import http.server
            class H(http.server.BaseHTTPRequestHandler):
                protocol_version = 'HTTP/1.1'
                def do_GET(self):
                    body = b'hello\\n'
                    self.send_response(200)
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *a):
                    pass
            http.server.ThreadingHTTPServer(('%s', 8080), H).serve_forever()
            """.formatted(B_IP);

    /** One keep-alive connection from A: a GET every 0.2 s for 40 s; prints "ok N", then "fail N" at the first failure. */
    static final String CLIENT = """
            import http.client, time, sys
            c = http.client.HTTPConnection('%s', 8080, timeout=1.5)
            for i in range(200):
                try:
                    c.request('GET', '/')
                    r = c.getresponse()
                    r.read()
                    print('ok', i, flush=True)
                except Exception as e:
                    print('fail', i, type(e).__name__, flush=True)
                    sys.exit(0)
                time.sleep(0.2)
            """.formatted(B_IP);

    static final String REPORT = """
            policy:
              name: watch
              rules:
                - name: http
                  match: { application: HTTP }
                  action: report
            """;

    static final String BLOCK = """
            policy:
              name: no-web
              rules:
                - name: http
                  match: { application: HTTP }
                  action: block
            """;

    static final String GARBAGE = """
            policy:
              name: broken
              rules:
                - name: http
                  match: { application: HTTP }
                  action: blok
            """;

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(Process p, Path file, String text, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!read(file).contains(text)) {
            if (p != null) {
                assertThat(p.isAlive()).as("%s: ended early: %s", what, read(file)).isTrue();
            }
            assertThat(System.nanoTime()).as("waiting for '%s' (%s): %s", text, what, read(file)).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static int curl() throws Exception {
        return InlineLab.status(A, "curl", "-s", "-o", "/dev/null", "--max-time", "3", "http://" + B_IP + ":8080/");
    }

    static int ping(int count) throws Exception {
        String out;
        try {
            out = InlineLab.in(A, "ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.1", "-W", "1", B_IP);
        } catch (IOException e) {
            out = e.getMessage();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) received").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static void hangup(Process p) throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void sighupSwitchesARunningInlineFromReportToBlockForOpenAndNewHttpFlowsAndRefusesGarbage() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (namespaces, iptables, NFQUEUE)");
        assumeTrue(NfQueue.unavailableReason() == null, "native access: " + NfQueue.unavailableReason());
        for (String tool : new String[] {"ip", "iptables", "python3", "curl", "ping"}) {
            assumeTrue(InlineLab.onPath(tool), "needs " + tool);
        }
        List<Process> started = new ArrayList<>();
        try {
            try {
                createLab();
            } catch (IOException e) {
                assumeTrue(false, "cannot make the namespaces: " + e.getMessage());
            }
            started.add(InlineLab.start(B, dir.resolve("server.txt"), "python3", "-c", SERVER));
            Path policy = dir.resolve("policy.yaml");
            Files.writeString(policy, REPORT);
            Path audit = dir.resolve("audit.log");
            Path out = dir.resolve("out.txt");
            Path err = dir.resolve("err.txt");
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", R,
                    ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "-Dfathom.state.dir=" + dir.resolve("state"), "org.fathom.cli.Main", "inline", "--queue", Integer.toString(QUEUE),
                    "--policy", policy.toString(), "--audit-log", audit.toString(), "--verdicts", dir.resolve("verdicts.jsonl").toString(),
                    "-w", "1", "--fail-open"));
            Process fathom = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            started.add(fathom);
            await(fathom, err, "fathom: answering ", "fathom inline");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (curl() != 0) {
                assertThat(System.nanoTime()).as("the HTTP server in B answers through the router").isLessThan(deadline);
                Thread.sleep(100);
            }
            // the connection open all along: a few requests go through under "report"
            Path client = dir.resolve("client.txt");
            started.add(InlineLab.start(A, client, "python3", "-c", CLIENT));
            await(null, client, "ok 3", "the keep-alive client");
            assertThat(read(client)).doesNotContain("fail");

            Files.writeString(policy, BLOCK);
            hangup(fathom);
            await(fathom, err, "fathom: SIGHUP: policy reloaded: no-web from " + policy, "the reload");
            await(null, client, "fail", "the open HTTP connection, blocked at its next request");
            assertThat(curl()).as("a new HTTP connection is blocked").isNotZero();
            assertThat(ping(10)).as("other traffic goes on").isGreaterThanOrEqualTo(9);

            Files.writeString(policy, GARBAGE);
            hangup(fathom);
            await(fathom, err, "fathom: SIGHUP: policy not reloaded, the policy in force stays (no-web, 1 rule): " + policy + ":6: unknown action 'blok'",
                    "the garbage refused");
            assertThat(curl()).as("HTTP still blocked: the old policy is in force").isNotZero();
            assertThat(ping(5)).isGreaterThanOrEqualTo(4);

            fathom.destroy();
            assertThat(fathom.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(fathom.exitValue()).as(read(err)).isZero();
            assertThat(read(err)).doesNotContain("Exception");
            assertThat(read(out)).containsPattern("http\\s+block\\s");

            List<Map<String, Object>> changes = JsonLines.parse(read(audit)).stream()
                    .filter(e -> String.valueOf(e.get("event")).startsWith("policy_")).toList();
            assertThat(changes).extracting(e -> e.get("event")).containsExactly("policy_in_force", "policy_reload", "policy_reload");
            assertThat(read(audit)).contains("\"outcome\":\"accepted\"").contains("\"outcome\":\"refused\"").contains("blok");
            assertThat(AnalyzeCommandTest.fathom("audit", "verify", audit.toString()).status()).isZero();
            List<Map<String, Object>> reloadVerdicts = JsonLines.parse(read(dir.resolve("verdicts.jsonl"))).stream()
                    .filter(v -> "reload".equals(v.get("cause"))).toList();
            assertThat(reloadVerdicts).as("the open connection's verdict change, cause reload").isNotEmpty()
                    .allMatch(v -> "block".equals(v.get("action")));
        } finally {
            for (Process p : started) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            removeNamespaces();
        }
    }
}
