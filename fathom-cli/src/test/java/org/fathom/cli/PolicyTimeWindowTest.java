package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom analyze --policy} (the dry run) on a capture whose packet times cross the opening
 * of a rule's {@code time:} range: the recorded spam run moved with {@code editcap -t} so that
 * 10:00:00 UTC falls in the thick of its 150 recipients. The flow live at 10:00 changes verdict at
 * its first packet from 10:00 on (cause {@code time}), as a live or inline run would.
 */
class PolicyTimeWindowTest {
    @TempDir
    Path dir;

    private static int port(Object o) {
        return o instanceof Number n ? n.intValue() : -1;
    }

    @Test
    void theDryRunShowsAFlowBlockedFromTheMinuteItsRuleOpens() throws Exception {
        assumeTrue(org.fathom.inline.InlineLab.onPath("editcap"), "needs editcap (Debian package wireshark-common)");
        long first;
        try (CaptureReader r = CaptureFiles.open(PolicyCommandTest.SPAM)) {
            Packet p = new Packet();
            assertThat(r.read(p)).isEqualTo(CaptureReader.PACKET);
            first = p.timestampNanos;
        }
        long ten = Instant.parse("2026-12-07T10:00:00Z").getEpochSecond() * 1_000_000_000L;
        long shift = ten - 1_100_000_000L - first;   // 1.1 s into the capture is 10:00:00
        Path moved = dir.resolve("spam-at-ten.pcap");
        Process e = new ProcessBuilder("editcap", "-t", String.format(java.util.Locale.ROOT, "%.6f", shift / 1e9),
                PolicyCommandTest.SPAM.toString(), moved.toString()).redirectErrorStream(true).start();
        String out = new String(e.getInputStream().readAllBytes());
        assertThat(e.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(e.exitValue()).as(out).isZero();

        Path policy = dir.resolve("hours.yaml");
        Files.writeString(policy, """
                policy:
                  name: office-hours
                  rules:
                    - name: no-mail-in-hours
                      match: { application: SMTP, time: 10:00-12:00 }
                      action: block
                """);
        Path verdicts = dir.resolve("verdicts.jsonl");
        Path flows = dir.resolve("flows.jsonl");
        AnalyzeCommandTest.Run run = AnalyzeCommandTest.fathom("analyze", moved.toString(), "--policy", policy.toString(),
                "--verdicts", verdicts.toString(), "--flows", flows.toString());
        assertThat(run.status()).as(run.err()).isZero();

        List<Map<String, Object>> changes = JsonLines.parse(Files.readString(verdicts));
        Map<String, Object> spam = changes.stream()
                .filter(v -> port(v.get("src_port")) == 55287 || port(v.get("dst_port")) == 55287)
                .findFirst().orElseThrow();
        assertThat(spam).containsEntry("cause", "time").containsEntry("action", "block").containsEntry("rule", "no-mail-in-hours");
        assertThat((String) spam.get("time")).startsWith("2026-12-07T10:00:00.0");
        // the ordinary mail before 10:00: allowed; every flow from 10:00 on: blocked
        for (Map<String, Object> f : JsonLines.flows(Files.readString(flows))) {
            boolean before = port(f.get("src_port")) == 37429;
            assertThat(f.get("policy.action")).as("flow %s", f.get("src_port")).isEqualTo(before ? "allow" : "block");
        }
    }
}
