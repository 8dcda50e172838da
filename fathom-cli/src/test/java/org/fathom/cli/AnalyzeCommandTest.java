package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.Packet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code analyze} command end to end, through {@link Main#run}, on the sample and on made-up files. */
class AnalyzeCommandTest {
    private static final Path SAMPLE = Path.of("..", "samples", "http-loopback.pcap");
    /** Keys every flow record has, in the order of the record contract. */
    private static final List<String> CONTRACT_KEYS = List.of("type", "l4", "src_ip", "src_port", "dst_ip", "dst_port",
            "protocol", "application", "category", "confidence", "packets_c2s", "packets_s2c", "bytes_c2s", "bytes_s2c",
            "first_seen", "last_seen");
    private static final Pattern ISO_MICROS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");

    @TempDir
    Path dir;

    @BeforeAll
    static void sampleIsThere() {
        assertThat(SAMPLE).as("sample capture, relative to the module folder").isRegularFile();
    }

    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** Runs the command line with standard output and error captured. */
    static Run fathom(String... args) {
        return fathom(new ByteArrayOutputStream(), args);
    }

    static Run fathom(OutputStream stdout, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            System.out.flush();
            String outText = stdout instanceof ByteArrayOutputStream b ? b.toString(StandardCharsets.UTF_8) : "";
            return new Run(status, outText, errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void theSampleIsAnalysedWithASummaryOfPacketsAndFlows() {
        Run r = fathom("analyze", SAMPLE.toString());

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Captures   1 read").containsPattern("Packets +72 ").containsPattern("Flows +6\\b");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void flowsFileHoldsOneContractObjectPerLine() throws IOException {
        Path flows = dir.resolve("flows.jsonl");
        Run r = fathom("analyze", SAMPLE.toString(), "--flows", flows.toString());

        assertThat(r.status()).isZero();
        assertThat(r.out()).containsPattern("Flows +6\\b");
        List<Map<String, Object>> records = JsonLines.flows(Files.readString(flows));
        assertThat(records).hasSize(6).allSatisfy(AnalyzeCommandTest::assertContractRecord);
        // six fetches by curl, each its own connection to the server on port 18080
        assertThat(records).allSatisfy(m -> {
            assertThat(m).containsEntry("l4", "TCP").containsEntry("src_ip", "127.0.0.1")
                    .containsEntry("dst_ip", "127.0.0.1").containsEntry("dst_port", 18080L)
                    .containsEntry("packets_c2s", 6L).containsEntry("packets_s2c", 6L)
                    .containsEntry("end_reason", "fin");
        });
        assertThat(records).extracting(m -> m.get("src_port")).doesNotHaveDuplicates();
    }

    @Test
    void everyOutputStartsWithItsPrivacyHeader() throws IOException {
        Path flows = dir.resolve("flows.jsonl");
        Run r = fathom("analyze", SAMPLE.toString(), "--flows", flows.toString());
        assertThat(r.status()).isZero();
        Map<String, Object> header = JsonLines.parse(Files.readString(flows)).getFirst();
        assertThat(header).containsEntry("type", "privacy").containsEntry("mode", "pseudonymous").containsKey("k")
                .containsKey("subscriber_networks").containsKey("key_rotation");
        assertThat(r.out()).contains("Privacy    pseudonymous").contains("Audit log");
    }

    @Test
    void thereIsNoWayToSwitchThePrivacyGuardOff() {
        Run r = fathom("analyze", SAMPLE.toString(), "--privacy", "off");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("unknown privacy mode 'off'");
        Run id = fathom("analyze", SAMPLE.toString(), "--privacy", "identified");
        assertThat(id.status()).isEqualTo(2);
        assertThat(id.err()).contains("--authorisation").doesNotContain("Exception");
    }

    /** Issue 16 item 14: device files and folders are refused as audit log or key, with no key made in /dev. */
    @Test
    void anAuditLogOrKeyThatIsNotARegularFileIsRefused() throws IOException {
        boolean keyInDevBefore = Files.exists(Path.of("/dev/pseudonym.key"));
        for (String dev : List.of("/dev/null", "/dev/zero", "/dev/full")) {
            if (!Files.exists(Path.of(dev))) {
                continue;
            }
            Run r = fathom("analyze", SAMPLE.toString(), "--audit-log", dev);
            assertThat(r.status()).as(dev).isEqualTo(2);
            assertThat(r.err()).as(dev).contains("audit-log " + dev).contains("not a regular file");
            assertNoStackTrace(r);
            Run k = fathom("analyze", SAMPLE.toString(), "--audit-log", dir.resolve("audit.log").toString(), "--key-file", dev);
            assertThat(k.status()).as(dev).isEqualTo(2);
            assertThat(k.err()).contains("key-file " + dev);
            assertNoStackTrace(k);
        }
        Run folder = fathom("analyze", SAMPLE.toString(), "--audit-log", dir.toString());
        assertThat(folder.status()).isEqualTo(2);
        assertThat(folder.err()).contains("not a regular file (a folder)");
        Run newInDev = fathom("analyze", SAMPLE.toString(), "--audit-log", "/dev/fathom-audit-test.log");
        assertThat(newInDev.status()).isEqualTo(2);
        assertThat(Path.of("/dev/fathom-audit-test.log")).doesNotExist();
        assertThat(Files.exists(Path.of("/dev/pseudonym.key"))).isEqualTo(keyInDevBefore);
        Run verify = fathom("audit", "verify", "/dev/zero");
        assertThat(verify.status()).isEqualTo(2);
        assertNoStackTrace(verify);
    }

    @Test
    void flowsToStandardOutputMovesTheSummaryToStandardError() {
        Run r = fathom("analyze", SAMPLE.toString(), "--flows", "-");

        assertThat(r.status()).isZero();
        List<Map<String, Object>> records = JsonLines.flows(r.out());
        assertThat(records).hasSize(6).allSatisfy(AnalyzeCommandTest::assertContractRecord);
        assertThat(r.err()).contains("Captures   1 read").containsPattern("Flows +6\\b");
    }

    @Test
    void flowsDirGetsOneFilePerCaptureOfAFolder() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in/sub"));
        Files.copy(SAMPLE, dir.resolve("in/a.pcap"));
        Files.copy(SAMPLE, in.resolve("b.cap"));
        Path out = dir.resolve("out");

        Run r = fathom("analyze", dir.resolve("in").toString(), "--flows-dir", out.toString());

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Captures   2 read").containsPattern("Flows +12\\b");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("a.pcap.jsonl", "b.cap.jsonl");
        }
        for (String name : List.of("a.pcap.jsonl", "b.cap.jsonl")) {
            assertThat(JsonLines.flows(Files.readString(out.resolve(name)))).hasSize(6)
                    .allSatisfy(AnalyzeCommandTest::assertContractRecord);
        }
    }

    @Test
    void aMissingFileIsAUsageErrorInOneLine() {
        Path missing = dir.resolve("missing.pcap");
        Run r = fathom("analyze", missing.toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains(missing.toString()).contains("no such file");
        assertNoStackTrace(r);
    }

    @Test
    void aTextFileNamedPcapIsAUsageError() throws IOException {
        Path text = Files.writeString(dir.resolve("x.pcap"), "not a capture at all\n");
        Run r = fathom("analyze", text.toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains(text.toString()).contains("not a pcap or pcapng capture");
        assertNoStackTrace(r);
    }

    @Test
    void aTextFileInAFolderMakesTheRunPartialAndTheCaptureIsStillWritten() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(SAMPLE, in.resolve("a.pcap"));
        Path text = Files.writeString(in.resolve("notes.txt"), "some notes\n");
        Path flows = dir.resolve("flows.jsonl");

        Run r = fathom("analyze", in.toString(), "--flows", flows.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains(text.toString());
        assertThat(r.out()).contains("Captures   1 read, 1 skipped").doesNotContain(text.toString());
        assertThat(JsonLines.flows(Files.readString(flows))).hasSize(6);
        assertNoStackTrace(r);
    }

    @Test
    void aTruncatedCaptureIsPartialWithTheWarningAndEarlierRecordsWritten() throws Exception {
        long last = lastRecordOffset(SAMPLE);
        byte[] sample = Files.readAllBytes(SAMPLE);
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(sample, (int) last + 16 + 10));
        Path flows = dir.resolve("flows.jsonl");

        Run r = fathom("analyze", cut.toString(), "--flows", flows.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(cut + " at byte " + last + ": truncated record");
        assertThat(r.out()).contains("Warnings   1 in captures").doesNotContain("truncated record")
                .containsPattern("Packets +71 ");
        List<Map<String, Object>> records = JsonLines.flows(Files.readString(flows));
        assertThat(records).hasSize(6).allSatisfy(AnalyzeCommandTest::assertContractRecord);
        assertNoStackTrace(r);
    }

    @Test
    void flowsAndFlowsDirTogetherAreAUsageError() {
        Run r = fathom("analyze", SAMPLE.toString(), "--flows", dir.resolve("f").toString(), "--flows-dir", dir.toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--flows and --flows-dir cannot be used together");
        assertThat(dir.resolve("f")).doesNotExist();
    }

    @Test
    void maxFlowsZeroIsAUsageError() {
        Run r = fathom("analyze", SAMPLE.toString(), "--max-flows", "0");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("maximum flows must be at least 1");
        assertNoStackTrace(r);
    }

    @Test
    void aNonNumericOptionValueIsAUsageError() {
        Run r = fathom("analyze", SAMPLE.toString(), "--udp-timeout", "soon");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("soon").contains("Try 'fathom analyze --help'.");
        assertNoStackTrace(r);
    }

    @Test
    void helpExitsZero() {
        Run top = fathom("--help");
        Run analyze = fathom("analyze", "--help");

        assertThat(top.status()).isZero();
        assertThat(top.out()).contains("Usage: fathom").contains("analyze");
        assertThat(analyze.status()).isZero();
        assertThat(analyze.out()).contains("Usage: fathom analyze").contains("--flows-dir").contains("Exit status");
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = fathom();

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("a command is needed");
    }

    @Test
    void anEmptyFolderIsAUsageError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Run r = fathom("analyze", empty.toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("no capture files found");
    }

    /** Issue 16 item 17: -q silences the summary, never a warning. */
    @Test
    void quietStillSaysWhyACaptureWasPartial() throws Exception {
        long last = lastRecordOffset(SAMPLE);
        byte[] sample = Files.readAllBytes(SAMPLE);
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(sample, (int) last + 16 + 10));
        Run r = fathom("analyze", "-q", cut.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().asString().contains(cut + " at byte " + last + ": truncated record");
    }

    /** Issue 16 item 17: many inputs skipped for one reason are one line, said once (not again in the summary). */
    @Test
    void manySkippedInputsAreCollapsedIntoOneLine() throws IOException {
        Path in = Files.createDirectories(dir.resolve("many"));
        Files.copy(SAMPLE, in.resolve("a.pcap"));
        for (int i = 0; i < 1000; i++) {
            Files.createFile(in.resolve("empty-" + i + ".pcap"));
        }
        Run r = fathom("analyze", in.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().contains("1,000 inputs skipped: not a capture file (0 bytes)");
        assertThat(r.out()).contains("Captures   1 read, 1,000 skipped").doesNotContain("empty-");
        Run quiet = fathom("analyze", "-q", in.toString());
        assertThat(quiet.status()).isEqualTo(1);
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.errLines()).singleElement().asString().contains("1,000 inputs skipped");
    }

    @Test
    void quietPrintsNothing() {
        Run r = fathom("analyze", "-q", SAMPLE.toString());

        assertThat(r.status()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void flowsIntoAMissingFolderIsAUsageError() {
        Path flows = dir.resolve("nowhere/flows.jsonl");
        Run r = fathom("analyze", SAMPLE.toString(), "--flows", flows.toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("does not exist");
        assertNoStackTrace(r);
    }

    @Test
    void aFailingFlowsFileIsReportedInOneLine() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        Run r = fathom("analyze", SAMPLE.toString(), "--flows", full.toString());

        assertThat(r.status()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString().contains("cannot write flow records to /dev/full");
        assertNoStackTrace(r);
    }

    @Test
    void aFailingStandardOutputIsReportedInsteadOfLosingRecordsSilently() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        Run r = fathom(broken, "analyze", SAMPLE.toString(), "--flows", "-");

        assertThat(r.status()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString().contains("cannot write flow records to standard output");
        assertNoStackTrace(r);
    }

    private static void assertContractRecord(Map<String, Object> m) {
        List<String> keys = new ArrayList<>(m.keySet());
        keys.retainAll(CONTRACT_KEYS);
        assertThat(keys).as("contract keys in order in %s", m).isEqualTo(CONTRACT_KEYS);
        assertThat(m.get("type")).isEqualTo("flow");
        for (String k : List.of("l4", "src_ip", "dst_ip", "protocol", "application", "category", "confidence")) {
            assertThat(m.get(k)).as(k).isInstanceOf(String.class);
        }
        for (String k : List.of("src_port", "dst_port", "packets_c2s", "packets_s2c", "bytes_c2s", "bytes_s2c")) {
            assertThat(m.get(k)).as(k).isInstanceOfSatisfying(Long.class, v -> assertThat(v).isNotNegative());
        }
        assertThat((String) m.get("first_seen")).matches(ISO_MICROS);
        assertThat((String) m.get("last_seen")).matches(ISO_MICROS);
        assertThat((String) m.get("first_seen")).isLessThanOrEqualTo((String) m.get("last_seen"));
    }

    private static void assertNoStackTrace(Run r) {
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("Exception");
    }

    private static long lastRecordOffset(Path capture) throws Exception {
        long last = -1;
        try (CaptureReader reader = CaptureFiles.open(capture)) {
            Packet p = new Packet();
            while (reader.next(p)) {
                last = p.fileOffset;
            }
        }
        return last;
    }
}
