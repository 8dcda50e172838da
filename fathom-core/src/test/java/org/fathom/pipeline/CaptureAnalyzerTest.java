package org.fathom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.fathom.record.FlowRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

class CaptureAnalyzerTest {
    static final Path SAMPLE = Path.of("../samples/http-loopback.pcap");
    static final Path CORPUS = Path.of("../../shared/corpus/ndpi/pcap");

    static List<FlowRecord> run(Path capture, int workers) {
        List<FlowRecord> l = new ArrayList<>(Analyze.flows(capture, workers, POLICY));
        l.sort(Comparator.comparing(FlowRecord::toString));
        return l;
    }

    static final org.fathom.privacy.PrivacyPolicy POLICY = Analyze.labPolicy();

    @Test
    void sampleHasTheSixHttpConnections() throws Exception {
        List<FlowRecord> flows = run(SAMPLE, 1);
        assertThat(flows).hasSize(6);
        for (FlowRecord r : flows) {
            assertThat(r.l4()).isEqualTo("TCP");
            assertThat(r.dstPort()).isEqualTo(18080);
            assertThat(r.srcIp()).isEqualTo("127.0.0.1");
            assertThat(r.packetsC2s()).isPositive();
            assertThat(r.packetsS2c()).isPositive();
            assertThat(r.endReason()).isEqualTo("fin");
        }
    }

    @Test
    void recordsDoNotDependOnTheNumberOfWorkers() throws Exception {
        assertThat(run(SAMPLE, 3)).isEqualTo(run(SAMPLE, 1));
    }

    /**
     * The engine's promise: the same records, as a set, for any number of workers. Every capture of
     * the corpus, every kind of record (flows, calls, alerts, with the analyzers the CLI runs), 1,
     * 2 and 3 workers.
     */
    @Test
    void corpusRecordsDoNotDependOnTheNumberOfWorkers() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "nDPI corpus not present");
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.sorted().toList();
        }
        int compared = 0;
        for (Path f : files) {
            List<String> one;
            try {
                one = allRecords(f, 1);
            } catch (IllegalArgumentException | org.fathom.capture.CaptureException e) {
                continue;
            }
            assertThat(allRecords(f, 2)).as(f + " with 2 workers").isEqualTo(one);
            assertThat(allRecords(f, 3)).as(f + " with 3 workers").isEqualTo(one);
            compared++;
        }
        assertThat(compared).isGreaterThan(300);
    }

    /** Every kind of record, with the analyzers the CLI runs, as sorted text. */
    static List<String> allRecords(Path capture, int workers) throws Exception {
        org.fathom.record.CollectingSink sink = new org.fathom.record.CollectingSink();
        try (org.fathom.privacy.PrivacyGuard guard = new org.fathom.privacy.PrivacyGuard(POLICY,
                org.fathom.privacy.AuditLog.open(POLICY.auditLog()), List.of(sink))) {
            AnalysisOptions o = AnalysisOptions.defaults()
                    .withAnalyzer(org.fathom.voip.CallAnalyzer.factory(org.fathom.voip.CallConfig.defaults(), new org.fathom.voip.CallStats()))
                    .withAnalyzer(org.fathom.security.AttackDetector.factory());
            new CaptureAnalyzer(o).analyze(capture, workers, guard, new AnalysisSummary(), Progress.NONE);
        }
        List<String> all = new ArrayList<>();
        sink.flows().forEach(r -> all.add(r.toString()));
        sink.calls().forEach(r -> all.add(r.toString()));
        // top sources are arrays: compare their contents, not their identities
        sink.alerts().forEach(r -> all.add(r.toString().replaceAll("\\[J@\\p{XDigit}+", "")
                + r.topSources().stream().map(java.util.Arrays::toString).toList()));
        all.sort(null);
        return all;
    }

    @Test
    void callsAndAlertsDoNotDependOnTheNumberOfWorkers() throws Exception {
        List<Path> captures = new ArrayList<>();
        for (String a : List.of("syn-flood", "udp-flood-spoofed", "port-scan", "icmp-flood")) {
            java.net.URL u = CaptureAnalyzerTest.class.getResource("/captures/attacks/" + a + ".pcap");
            if (u != null) {
                captures.add(Path.of(u.toURI()));
            }
        }
        if (Files.isDirectory(CORPUS)) {
            try (Stream<Path> s = Files.list(CORPUS)) {
                s.filter(f -> f.getFileName().toString().matches("(?i).*(sip|rtp|voip|synscan|fragment|dns).*"))
                        .sorted().forEach(captures::add);
            }
        }
        assertThat(captures).isNotEmpty();
        for (Path f : captures) {
            List<String> one;
            try {
                one = allRecords(f, 1);
            } catch (IllegalArgumentException | org.fathom.capture.CaptureException e) {
                continue;
            }
            assertThat(allRecords(f, 2)).as(f.toString()).isEqualTo(one);
            assertThat(allRecords(f, 3)).as(f.toString()).isEqualTo(one);
        }
    }
}
