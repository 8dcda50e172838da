package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fathom.privacy.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signal during {@code analyze} (issue: SIGTERM left half a JSON line and no end in the audit
 * log): reading stops, every record so far is whole, the audit run is closed, and the exit status
 * is 130 with one line on standard error.
 */
class AnalyzeSignalTest {
    @TempDir
    Path dir;

    /** Two million one-packet UDP flows 50 ms apart: flows expire, and records stream out, all along. */
    private static void writeCapture(Path file, int packets) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20))) {
            out.writeInt(0xd4c3b2a1);   // little-endian microsecond pcap
            out.write(new byte[] {2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 1, 0, 0, 0});
            byte[] frame = new byte[14 + 20 + 8 + 8];
            frame[12] = 0x08;   // IPv4
            int ip = 14;
            frame[ip] = 0x45;
            frame[ip + 3] = (byte) (frame.length - 14);
            frame[ip + 8] = 64;
            frame[ip + 9] = 17;   // UDP
            frame[ip + 12] = 10;   // 10.x.y.z -> 192.0.2.1
            frame[ip + 16] = (byte) 192;
            frame[ip + 18] = 2;
            frame[ip + 19] = 1;
            frame[ip + 20 + 2] = 0x30;   // destination port 12345
            frame[ip + 20 + 3] = 0x39;
            frame[ip + 20 + 5] = 16;   // UDP length
            long t = 1_700_000_000_000_000L;
            for (int i = 0; i < packets; i++) {
                frame[ip + 13] = (byte) (i >>> 16);
                frame[ip + 14] = (byte) (i >>> 8);
                frame[ip + 15] = (byte) i;
                frame[ip + 20] = (byte) (1024 + i % 60000 >>> 8);
                frame[ip + 21] = (byte) (1024 + i % 60000);
                long us = t + i * 50_000L;
                out.writeInt(Integer.reverseBytes((int) (us / 1_000_000)));
                out.writeInt(Integer.reverseBytes((int) (us % 1_000_000)));
                out.writeInt(Integer.reverseBytes(frame.length));
                out.writeInt(Integer.reverseBytes(frame.length));
                out.write(frame);
            }
        }
    }

    @Test
    void aSignalStopsReadingAndEveryRecordSoFarIsWholeAndTheAuditRunClosed() throws Exception {
        Path pcap = dir.resolve("many-flows.pcap");
        writeCapture(pcap, 2_000_000);
        Path flows = dir.resolve("flows.jsonl");
        Path err = dir.resolve("err.txt");
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dfathom.state.dir=" + dir.resolve("state"), "org.fathom.cli.Main", "analyze", "-w", "2",
                "--subscriber-networks", "none", "--flows", flows.toString(), pcap.toString());
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(flows) || Files.size(flows) < 200_000) {
                assertThat(p.isAlive()).as("analyze ended before the signal: %s", Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("no records were written").isLessThan(deadline);
                Thread.sleep(20);
            }
            p.destroy();   // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ended after SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String stderr = Files.readString(err);
        assertThat(p.exitValue()).as(stderr).isEqualTo(Main.EXIT_INTERRUPTED);
        assertThat(stderr).contains("fathom: interrupted by a signal after ").contains("the records so far are complete");
        List<String> lines = Files.readAllLines(flows);
        assertThat(lines.size()).isGreaterThan(100).isLessThan(2_000_001);
        assertThat(Files.readString(flows)).endsWith("\n");
        for (String l : lines) {
            assertThat(l).startsWith("{").endsWith("}");
        }
        // the audit run was closed: the chain verifies and ends with the run's end
        List<String> audit = Files.readAllLines(dir.resolve("state").resolve("audit.log"));
        assertThat(audit.getLast()).contains("\"event\":\"run_finished\"");
        assertThat(AuditLog.verify(dir.resolve("state").resolve("audit.log")).ok()).isTrue();
    }
}
