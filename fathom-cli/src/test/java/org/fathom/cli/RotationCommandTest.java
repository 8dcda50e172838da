package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --rotate}/{@code --rotate-size} on the command line: a live replay and an analysis. */
class RotationCommandTest {
    @TempDir
    Path dir;

    static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Client ports of the flow records of finished files, checking each starts with the privacy header. */
    static List<Long> ports(List<Path> files) throws IOException {
        List<Long> ports = new ArrayList<>();
        for (Path f : files) {
            List<Map<String, Object>> l = JsonLines.parse(Files.readString(f));
            assertThat(l.getFirst().get("type")).as(f.toString()).isEqualTo("privacy");
            for (Map<String, Object> m : l.subList(1, l.size())) {
                ports.add(((Number) m.get("src_port")).longValue());
            }
        }
        return ports;
    }

    @Test
    void aLiveReplayFinishesFilesWhileItRunsAndLosesNoRecord() throws Exception {
        // ten UDP flows, one every 0.4 s; with a 1 s UDP timeout they end while the replay runs
        TinyPcap pcap = new TinyPcap(1_780_000_000L);
        for (int i = 0; i < 10; i++) {
            pcap.udp("10.1.0.5", 30000 + i, "10.2.0.9", 7000, new byte[] {1, 2, 3, 4});
            pcap.advanceMicros(400_000);
        }
        Path capture = dir.resolve("udp.pcap");
        pcap.write(capture);
        Path flowsDir = dir.resolve("flows");
        Path calls = dir.resolve("calls.jsonl");
        AtomicReference<AnalyzeCommandTest.Run> result = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> result.set(AnalyzeCommandTest.fathom("live", "-r", capture.toString(), "--replay",
                "--flows-dir", flowsDir.toString(), "--calls", calls.toString(), "--rotate", "1s", "--udp-timeout", "1",
                "--audit-log", dir.resolve("audit.log").toString(), "-w", "2")));
        // a collector sees finished files before the run ends
        List<Path> seenWhileRunning = List.of();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (t.isAlive() && System.nanoTime() < deadline) {
            if (Files.isDirectory(flowsDir)) {
                seenWhileRunning = files(flowsDir).stream().filter(f -> f.toString().endsWith(".jsonl")).toList();
                if (!seenWhileRunning.isEmpty()) {
                    break;
                }
            }
            Thread.sleep(50);
        }
        assertThat(seenWhileRunning).as("a finished file while the replay ran").isNotEmpty();
        assertThat(t.isAlive()).isTrue();
        t.join(30_000);
        AnalyzeCommandTest.Run r = result.get();
        assertThat(r.status()).as(r.err()).isZero();

        List<Path> finished = files(flowsDir);
        assertThat(finished).as("no .part file is left").allMatch(f -> f.getFileName().toString().matches("udp\\.pcap-\\d{8}T\\d{6}Z(-\\d+)?\\.jsonl"));
        assertThat(finished.size()).as("files: %s", finished).isGreaterThanOrEqualTo(2);
        List<Long> ports = ports(finished);
        assertThat(ports).hasSize(10);
        assertThat(new TreeSet<>(ports)).hasSize(10).first().isEqualTo(30000L);
        assertThat(r.out()).containsPattern("Flows +10\\b");
        // no call in the capture: a rotated output begins a file with its first record only
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("calls"));
        }
    }

    @Test
    void anAnalysisSplitByRotateSizeHoldsTheSameRecords() throws Exception {
        Path whole = dir.resolve("whole.jsonl");
        AnalyzeCommandTest.Run plain = AnalyzeCommandTest.fathom("analyze", FathomMetricsTest.SAMPLE.toString(), "--flows", whole.toString(),
                "--audit-log", dir.resolve("audit.log").toString(), "-w", "1", "-q");
        assertThat(plain.status()).as(plain.err()).isZero();
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        AnalyzeCommandTest.Run split = AnalyzeCommandTest.fathom("analyze", FathomMetricsTest.SAMPLE.toString(), "--flows",
                out.resolve("flows.jsonl").toString(), "--rotate-size", "1K", "--audit-log", dir.resolve("audit.log").toString(),
                "-w", "1", "-q");
        assertThat(split.status()).as(split.err()).isZero();
        List<Path> files = files(out);
        assertThat(files.size()).isGreaterThan(1);
        assertThat(files).allMatch(f -> f.getFileName().toString().matches("flows-\\d{8}T\\d{6}Z(-\\d+)?\\.jsonl"));
        List<Long> expected = ports(List.of(whole));
        assertThat(ports(files)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void badRotationValuesAreOneLineAndStatusTwo() {
        String audit = dir.resolve("audit.log").toString();
        String sample = FathomMetricsTest.SAMPLE.toString();
        record Case(String expected, String... args) {}
        List<Case> cases = List.of(
                new Case("fathom: --rotate: bad duration 'soon' (e.g. 30s, 15m, 1h, 1d)", "--rotate", "soon", "--flows", dir.resolve("a.jsonl").toString()),
                new Case("fathom: --rotate: at least 1s, not 0s", "--rotate", "0s", "--flows", dir.resolve("a.jsonl").toString()),
                new Case("fathom: --rotate-size: from 1K, not 10", "--rotate-size", "10", "--flows", dir.resolve("a.jsonl").toString()),
                new Case("fathom: --rotate-size: bad size 'big' (e.g. 100M, 1G)", "--rotate-size", "big", "--flows", dir.resolve("a.jsonl").toString()),
                new Case("fathom: --rotate and --rotate-size need a file output to rotate (--flows FILE, --flows-dir, --calls, --alerts, --verdicts)",
                        "--rotate", "1h", "--flows", "-"));
        for (Case c : cases) {
            List<String> args = new ArrayList<>(List.of("analyze", sample, "--audit-log", audit));
            args.addAll(List.of(c.args()));
            AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom(args.toArray(String[]::new));
            assertThat(r.status()).as(c.expected()).isEqualTo(2);
            assertThat(r.errLines()).as(c.expected()).containsExactly(c.expected());
        }
    }
}
