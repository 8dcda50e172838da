package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fathom.output.AsyncSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outputs' queues on the command line: --sink-queue, --on-full, and what the summary says. */
class ExitOptionsTest {
    static final Path SAMPLE = Path.of("..", "samples", "http-loopback.pcap");

    @TempDir
    Path dir;

    @Test
    void aTinyBlockingQueueWritesTheSameRecordsAsTheDefault() throws IOException {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        AnalyzeCommandTest.Run ra = AnalyzeCommandTest.fathom("analyze", "-w", "1", SAMPLE.toString(), "--flows", a.toString());
        AnalyzeCommandTest.Run rb = AnalyzeCommandTest.fathom("analyze", "-w", "1", SAMPLE.toString(), "--flows", b.toString(),
                "--sink-queue", "1", "--on-full", "block");
        assertThat(ra.status()).isZero();
        assertThat(rb.status()).isZero();
        assertThat(Files.readString(b)).isEqualTo(Files.readString(a)).contains("\"type\":\"flow\"");
        assertThat(rb.out()).doesNotContain("Output ");
    }

    @Test
    void dropIsAccepted() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE.toString(), "--flows", dir.resolve("f").toString(),
                "--on-full", "DROP", "--sink-queue", "2");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void badValuesAreUsageErrors() {
        AnalyzeCommandTest.Run policy = AnalyzeCommandTest.fathom("analyze", SAMPLE.toString(), "--on-full", "wait");
        assertThat(policy.status()).isEqualTo(2);
        assertThat(policy.errLines()).singleElement().asString().contains("--on-full").contains("block, drop");
        AnalyzeCommandTest.Run size = AnalyzeCommandTest.fathom("analyze", SAMPLE.toString(), "--sink-queue", "0");
        assertThat(size.status()).isEqualTo(2);
        assertThat(size.errLines()).singleElement().asString().contains("--sink-queue must be between 1 and");
    }

    @Test
    void aFailingOutputIsNamedEvenWhenItIsNotTheFlowsFile() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        Path flows = dir.resolve("flows.jsonl");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE.toString(), "--flows", flows.toString(),
                "--alerts", full.toString());
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString().contains("cannot write alerts to /dev/full")
                .doesNotContain(flows.toString());
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void helpNamesTheOptions() {
        assertThat(AnalyzeCommandTest.fathom("analyze", "--help").out()).contains("--sink-queue=N").contains("--on-full=block|drop");
    }

    @Test
    void theSummaryNamesOnlyOutputsThatDroppedOrHeldUpTheAnalysis() {
        var fine = new AsyncSink.Stats("fine.jsonl", AsyncSink.Overflow.BLOCK, 8192, 1000, 1000, 0, 8192, 3, 200_000_000L);
        var dropping = new AsyncSink.Stats("drop.jsonl", AsyncSink.Overflow.DROP, 8192, 1000, 900, 100, 8192, 0, 0);
        var slow = new AsyncSink.Stats("slow.jsonl", AsyncSink.Overflow.BLOCK, 8192, 5000, 5000, 0, 8192, 40, 2_500_000_000L);
        List<String> lines = SummaryReport.outputLines(List.of(fine, dropping, slow));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("Output     drop.jsonl: ").contains("900 of 1,000 records written", "100 dropped");
        assertThat(lines.get(1)).startsWith("Output     slow.jsonl: ").contains("analysis waited 2").doesNotContain("dropped");
    }
}
