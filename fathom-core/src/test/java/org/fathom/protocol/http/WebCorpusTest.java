package org.fathom.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.CaptureAnalyzer;
import org.fathom.pipeline.Progress;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A few captures of nDPI's regression corpus, when it is present beside the project (skipped
 * otherwise): every flow nDPI classified by DPI as one of these protocols is expected from us too.
 * The figures are nDPI's DPI verdicts for these files (flows by protocol).
 */
class WebCorpusTest {
    /** Beside the project's checkout (and, for a work tree one level deeper, beside its parent). */
    static final Path CORPUS = Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap"))
            ? Path.of("../../shared/corpus/ndpi/pcap") : Path.of("../../../shared/corpus/ndpi/pcap");

    @ParameterizedTest
    @CsvSource({
        "srvloc.pcap, Service_Location_Protocol, 620",
        "snmp.pcap, SNMP, 17",
        "syslog.pcap, Syslog, 21",
        "netbios.pcap, NetBIOS, 16",
        "bittorrent.pcap, BitTorrent, 24",
    })
    void agreesWithNdpi(String file, String protocol, int atLeast) throws Exception {
        Path p = CORPUS.resolve(file);
        assumeTrue(Files.isRegularFile(p), "nDPI corpus not present");
        List<FlowRecord> out = new ArrayList<>(org.fathom.testing.Analyze.flows(p));
        Map<String, Long> byProtocol = out.stream().collect(Collectors.groupingBy(FlowRecord::protocol, Collectors.counting()));
        assertThat(byProtocol.getOrDefault(protocol, 0L)).as("%s in %s: %s", protocol, file, byProtocol).isGreaterThanOrEqualTo(atLeast);
    }
}
