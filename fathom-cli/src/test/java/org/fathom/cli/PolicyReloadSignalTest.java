package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP to a running {@code fathom live -r CAPTURE --replay --policy FILE}: the policy file is
 * read again and put in force for the flows from then on (no flow lost); a garbage file keeps the
 * policy in force and says where it is wrong; the audit log has each change and verifies.
 */
class PolicyReloadSignalTest {
    @TempDir
    Path dir;

    private static String read(Path f) {
        return ReloadSignalTest.read(f);
    }

    private static void awaitErr(Process p, Path err, String text) throws InterruptedException {
        ReloadSignalTest.awaitErr(p, err, text, 1);
    }

    private static void hangup(Process p) throws Exception {
        ReloadSignalTest.hangup(p);
    }

    static final String WATCH = """
            policy:
              name: watch
              rules:
                - name: dns
                  match: { application: DNS }
                  action: report
            """;

    static final String BLOCK = """
            policy:
              name: strict
              rules:
                - name: dns
                  match: { application: DNS }
                  action: block
                - name: no-telnet
                  match: { port: 23 }
                  action: block
            """;

    static final String GARBAGE = """
            policy:
              name: broken
              rules:
                - name: dns
                  match: { aplication: DNS }
                  action: block
            """;

    @Test
    void sighupPutsTheNewPolicyInForceWithoutLosingAFlowAndAGarbageFileKeepsTheOldOne() throws Exception {
        // eight DNS queries, one a second (about 7 s of replay), each its own flow (1 s UDP timeout)
        TinyPcap pcap = new TinyPcap(1_780_000_000L);
        for (int i = 0; i < 8; i++) {
            pcap.udp("10.1.0.5", 40000 + i, "10.2.0.9", 53, ReloadSignalTest.dnsQuery(i, "www.example.org"));
            pcap.advanceMicros(1_000_000);
        }
        Path capture = dir.resolve("dns.pcap");
        pcap.write(capture);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, WATCH);
        Path flows = dir.resolve("flows.jsonl");
        Path verdicts = dir.resolve("verdicts.jsonl");
        Path audit = dir.resolve("audit.log");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dfathom.state.dir=" + dir.resolve("state"), "org.fathom.cli.Main", "live", "-r", capture.toString(), "--replay",
                "--policy", policy.toString(), "--verdicts", verdicts.toString(), "--udp-timeout", "1",
                "--flows", flows.toString(), "--audit-log", audit.toString(), "-w", "2"));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            awaitErr(p, err, "fathom: replaying ");
            Thread.sleep(2_500);
            Files.writeString(policy, BLOCK);
            hangup(p);
            awaitErr(p, err, "fathom: SIGHUP: policy reloaded: strict from " + policy + " (2 rules, default allow");
            Files.writeString(policy, GARBAGE);
            hangup(p);
            awaitErr(p, err, "fathom: SIGHUP: policy not reloaded, the policy in force stays (strict, 2 rules): " + policy + ":5:");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the replay ends by itself").isTrue();
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
        assertThat(p.exitValue()).as(read(err)).isZero();
        assertThat(read(err)).doesNotContain("Exception");
        List<String> hup = read(err).lines().filter(l -> l.contains("SIGHUP")).toList();
        assertThat(hup).as("one line per SIGHUP: no rule files, only the policy's").hasSize(2);
        assertThat(hup.get(1)).contains("aplication");

        List<Map<String, Object>> records = JsonLines.flows(Files.readString(flows));
        assertThat(records).as("no flow lost").hasSize(8);
        for (Map<String, Object> r : records) {
            int port = ((Number) r.get("src_port")).intValue();
            if (port == 40000) {
                assertThat(r.get("policy.action")).as("flow %d, before the reload", port).isEqualTo("report");
            } else if (port >= 40004) {
                assertThat(r.get("policy.action")).as("flow %d, after the reload (and the garbage)", port).isEqualTo("block");
            }
        }
        // the summary counts under the rule by name: one line for dns, with the new action
        assertThat(read(out)).containsPattern("dns\\s+block\\s+8\\b");

        List<Map<String, Object>> entries = JsonLines.parse(Files.readString(audit));
        List<Map<String, Object>> changes = entries.stream()
                .filter(e -> String.valueOf(e.get("event")).startsWith("policy_")).toList();
        assertThat(changes).extracting(e -> e.get("event")).containsExactly("policy_in_force", "policy_reload", "policy_reload");
        assertThat(Files.readString(audit)).contains("\"outcome\":\"accepted\"").contains("\"outcome\":\"refused\"")
                .contains(org.fathom.policy.PolicyFile.sha256(BLOCK.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .contains(org.fathom.policy.PolicyFile.sha256(GARBAGE.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(AnalyzeCommandTest.fathom("audit", "verify", audit.toString()).status()).isZero();
    }
}
