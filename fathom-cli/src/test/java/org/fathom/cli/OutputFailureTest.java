package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.cli.AnalyzeCommandTest.fathom;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.fathom.cli.AnalyzeCommandTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 items 15 and 16: a failed output is named with what it holds and where, exits with the
 * I/O status 3 (not the usage status 2), leaves no half record, and a summary that cannot be
 * written is an error too.
 */
class OutputFailureTest {
    private static final Path SAMPLE = Path.of("..", "samples", "http-loopback.pcap");
    /** About a thousand flows: more records than a 64 kB disk holds. */
    private static final Path MANY_FLOWS = Path.of("..", "fathom-core", "src", "test", "resources", "captures", "attacks", "port-scan.pcap");
    private static final Path FULL = Path.of("/dev/full");

    @TempDir
    Path dir;

    @Test
    void eachFailingOutputIsNamedWithWhatItHolds() {
        assumeTrue(Files.isWritable(FULL), "needs /dev/full");
        Run calls = fathom("analyze", SAMPLE.toString(), "--calls", FULL.toString());
        assertThat(calls.status()).isEqualTo(3);
        assertThat(calls.errLines()).singleElement().asString().contains("cannot write call records to /dev/full");
        Run alerts = fathom("analyze", SAMPLE.toString(), "--alerts", FULL.toString());
        assertThat(alerts.status()).isEqualTo(3);
        assertThat(alerts.errLines()).singleElement().asString().contains("cannot write alerts to /dev/full");
        Run aggregates = fathom("analyze", SAMPLE.toString(), "--privacy", "aggregate", "--aggregates", FULL.toString());
        assertThat(aggregates.status()).isEqualTo(3);
        assertThat(aggregates.errLines()).singleElement().asString().contains("cannot write aggregates to /dev/full");
        for (Run r : new Run[] {calls, alerts, aggregates}) {
            assertThat(r.err()).doesNotContain("null").doesNotContain("Exception");
        }
    }

    @Test
    void aFlowsDirFileThatCannotBeWrittenIsNamed() throws IOException {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve("http-loopback.pcap.jsonl"));   // a folder where the capture's file must go
        Run r = fathom("analyze", SAMPLE.toString(), "--flows-dir", out.toString());
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString()
                .contains("cannot write flow records to " + out.resolve("http-loopback.pcap.jsonl"))
                .doesNotContain("null");
    }

    @Test
    void aFullDiskLeavesOnlyWholeRecords() throws Exception {
        assumeTrue(Files.isRegularFile(MANY_FLOWS));
        Path mnt = Files.createTempDirectory("fathom-small-disk");   // not in @TempDir: its cleanup must not meet the mount
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mount.waitFor(20, TimeUnit.SECONDS) && mount.exitValue() == 0, "needs to mount a small tmpfs (root)");
        try {
            Path flows = mnt.resolve("flows.jsonl");
            Run r = fathom("analyze", MANY_FLOWS.toString(), "--subscriber-networks", "none", "--flows", flows.toString(),
                    "--audit-log", dir.resolve("audit.log").toString());
            assertThat(r.status()).isEqualTo(3);
            assertThat(r.errLines()).singleElement().asString().contains("cannot write flow records to " + flows);
            String text = Files.readString(flows, StandardCharsets.UTF_8);
            assertThat(text).isNotEmpty().endsWith("\n");
            assertThat(JsonLines.parse(text)).isNotEmpty();   // every line one whole JSON object
        } finally {
            new ProcessBuilder("umount", "-l", mnt.toString()).start().waitFor(20, TimeUnit.SECONDS);
            Files.deleteIfExists(mnt);
        }
    }

    @Test
    void aSummaryThatCannotBeWrittenFailsWithTheIoStatus() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        Run r = fathom(full, "analyze", SAMPLE.toString());
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString().contains("cannot write the summary to standard output");
        Run ok = fathom(new ByteArrayOutputStream(), "analyze", SAMPLE.toString());
        assertThat(ok.status()).isZero();
    }
}
