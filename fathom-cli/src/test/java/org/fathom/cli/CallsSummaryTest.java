package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calls section of the summary, and the call records file. */
class CallsSummaryTest {
    static final Path UDP = Path.of("..", "fathom-core", "src", "test", "resources", "captures", "sip", "sipp-udp.pcap");

    @Test
    void callsSectionCountsOutcomesAndNamesWorstCallsOnlyThroughThePseudonyms(@TempDir Path tmp) throws IOException {
        Path calls = tmp.resolve("calls.jsonl");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", UDP.toString(), "--calls", calls.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Calls      3 attempts, 3 answered (ASR 100.0%, NER 100.0%), 0 emergency")
                .contains("completed 3, dropped 0, busy 0");
        assertThat(Files.readAllLines(calls)).filteredOn(l -> l.contains("\"type\":\"call\"")).hasSize(3)
                .allMatch(l -> l.contains("\"call_id\":\"t-") && l.contains("\"outcome\":\"completed\""));
    }

    @Test
    void aggregateModePrintsCountsOnly() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", UDP.toString(), "--privacy", "aggregate");
        assertThat(r.status()).isZero();
        // no call id token (t-<12 hex digits>); a bare "t-" would match paths such as /work/wt-x/
        assertThat(r.out()).contains("Calls      3 attempts").doesNotContain("Worst calls")
                .doesNotContainPattern("\\bt-[0-9a-f]{12}\\b");
    }

    @Test
    void trafficWithoutSipHasNoCallsSection() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", Path.of("..", "samples", "http-loopback.pcap").toString());
        assertThat(r.out()).doesNotContain("Calls ");
    }
}
