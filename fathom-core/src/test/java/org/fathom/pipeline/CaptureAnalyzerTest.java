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

    @Test
    void corpusRecordsDoNotDependOnTheNumberOfWorkers() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "nDPI corpus not present");
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.sorted().toList();
        }
        // every 7th capture keeps the test short while covering many link types and protocols
        for (int i = 0; i < files.size(); i += 7) {
            Path f = files.get(i);
            List<FlowRecord> one;
            try {
                one = run(f, 1);
            } catch (IllegalArgumentException e) {
                continue;
            }
            assertThat(run(f, 2)).as(f.toString()).isEqualTo(one);
        }
    }
}
