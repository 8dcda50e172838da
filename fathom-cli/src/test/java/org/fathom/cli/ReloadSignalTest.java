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
 * SIGHUP to a running {@code fathom live -r CAPTURE --replay} process: the rule files are read
 * again and used for the flows classified from then on; a bad file keeps the rules in use; no
 * flow is lost and the process goes on to its normal end.
 */
class ReloadSignalTest {
    @TempDir
    Path dir;

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (Exception e) {
            return "";
        }
    }

    /** Waits until standard error (the file {@code err}) holds {@code text} {@code times} times, while fathom runs. */
    static void awaitErr(Process p, Path err, String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (read(err).split(java.util.regex.Pattern.quote(text), -1).length - 1 < times) {
            assertThat(p.isAlive()).as("fathom ended early: %s", read(err)).isTrue();
            assertThat(System.nanoTime()).as("waiting for '%s' on stderr: %s", text, read(err)).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static void hangup(Process p) throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** A DNS query (A record, recursion desired) for {@code name}. */
    static byte[] dnsQuery(int id, String name) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return b.toByteArray();
    }

    @Test
    void sighupReloadsTheServiceRulesWithoutLosingAFlowAndABadFileKeepsThemInUse() throws Exception {
        // eight DNS queries for www.example.org, one a second: the replay takes about 7 s; with a 1 s UDP
        // timeout each flow's record is made (and its application named) a second or two after its query
        TinyPcap pcap = new TinyPcap(1_780_000_000L);
        for (int i = 0; i < 8; i++) {
            pcap.udp("10.1.0.5", 40000 + i, "10.2.0.9", 53, dnsQuery(i, "www.example.org"));
            pcap.advanceMicros(1_000_000);
        }
        Path capture = dir.resolve("web.pcap");
        pcap.write(capture);
        Path rules = dir.resolve("services.txt");
        Files.writeString(rules, "example.org Before Web\n");
        Path flows = dir.resolve("flows.jsonl");
        Path audit = dir.resolve("audit.log");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dfathom.state.dir=" + dir.resolve("state"), "org.fathom.cli.Main", "live", "-r", capture.toString(), "--replay",
                "--services", rules.toString(), "--udp-timeout", "1", "--flows", flows.toString(), "--audit-log", audit.toString(), "-w", "2"));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            awaitErr(p, err, "fathom: replaying ", 1);
            Thread.sleep(2_500);
            Files.writeString(rules, "example.org After Web\n");
            hangup(p);
            awaitErr(p, err, "fathom: SIGHUP: rules reloaded: services from " + rules, 1);
            Files.writeString(rules, "example.org OnlyTwoFields\n");
            hangup(p);
            awaitErr(p, err, "fathom: SIGHUP: rules not reloaded, the rules in use stay: " + rules, 1);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the replay ends by itself").isTrue();
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
        assertThat(p.exitValue()).as(read(err)).isZero();
        assertThat(read(err)).doesNotContain("Exception");
        List<String> errLines = read(err).lines().filter(l -> l.contains("SIGHUP")).toList();
        assertThat(errLines).hasSize(2);
        assertThat(errLines.get(1)).contains("services.txt line 1").contains("OnlyTwoFields");

        List<Map<String, Object>> records = JsonLines.flows(Files.readString(flows));
        assertThat(records).as("no flow lost").hasSize(8);
        for (Map<String, Object> r : records) {
            int port = ((Number) r.get("src_port")).intValue();
            if (port == 40000) {
                assertThat(r.get("application")).as("flow %d, before the reload", port).isEqualTo("Before");
            } else if (port >= 40004) {
                assertThat(r.get("application")).as("flow %d, after the reload (and the bad file)", port).isEqualTo("After");
            }
        }
        List<String> auditLines = Files.readAllLines(audit);
        assertThat(auditLines.stream().filter(l -> l.contains("\"event\":\"rules_reloaded\""))).hasSize(1);
        assertThat(AnalyzeCommandTest.fathom("audit", "verify", audit.toString()).status()).isZero();
    }
}
