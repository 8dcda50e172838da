package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --events} and {@code --events-dir} end to end, through {@link Main#run}. */
class EventsOptionsTest {
    static final Path CAPTURES = Path.of("..", "fathom-core", "src", "test", "resources", "captures");
    static final Path HTTP = CAPTURES.resolve("events/http-pipelined.pcap");
    static final Path DNS = CAPTURES.resolve("dns/dig-dnsmasq.pcap");

    @TempDir
    Path dir;

    private String[] args(String... more) {
        List<String> l = new java.util.ArrayList<>(List.of("analyze", "--audit-log", dir.resolve("audit.log").toString(),
                "--key-file", dir.resolve("pseudonym.key").toString()));
        l.addAll(List.of(more));
        return l.toArray(String[]::new);
    }

    @Test
    void eventsFileLinksEveryEventToItsFlowRecord() throws IOException {
        Path events = dir.resolve("events.jsonl");
        Path flows = dir.resolve("flows.jsonl");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom(args(HTTP.toString(), "--events", events.toString(),
                "--flows", flows.toString(), "-w", "2"));
        assertThat(r.status()).as(r.err()).isZero();
        List<Map<String, Object>> ev = JsonLines.parse(Files.readString(events));
        assertThat(ev.getFirst()).containsEntry("type", "privacy");
        List<Map<String, Object>> http = ev.stream().filter(e -> "event".equals(e.get("type"))).toList();
        assertThat(http).hasSize(8).allSatisfy(e -> assertThat(e).containsEntry("event", "http")
                .containsKeys("flow_id", "ts", "src_ip", "dst_port", "http.method").doesNotContainKey("http.url"));
        Set<Object> flowIds = JsonLines.flows(Files.readString(flows)).stream().map(f -> f.get("flow_id")).collect(Collectors.toSet());
        assertThat(http).allSatisfy(e -> assertThat(flowIds).contains(e.get("flow_id")));
        assertThat(r.out()).contains("Traffic issues").contains("HTTP       ").contains("4xx");
    }

    @Test
    void eventsDirHoldsOneFilePerCapture() throws IOException {
        Path out = dir.resolve("ev");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom(args(HTTP.toString(), DNS.toString(), "--events-dir", out.toString(), "-q"));
        assertThat(r.status()).as(r.err()).isZero();
        List<Map<String, Object>> dns = JsonLines.parse(Files.readString(out.resolve("dig-dnsmasq.pcap.jsonl")));
        assertThat(dns.stream().filter(e -> "dns".equals(e.get("event")))).hasSize(4);
        assertThat(JsonLines.parse(Files.readString(out.resolve("http-pipelined.pcap.jsonl"))).stream()
                .filter(e -> "http".equals(e.get("event")))).hasSize(8);
    }

    @Test
    void eventsOnStandardOutputSendTheSummaryToStandardError() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom(args(DNS.toString(), "--events", "-"));
        assertThat(r.status()).isZero();
        assertThat(r.out().lines().filter(l -> l.contains("\"type\":\"event\""))).hasSize(4);
        assertThat(r.err()).contains("Traffic issues").contains("1 NXDOMAIN");
    }

    @Test
    void badCombinationsAreOneLineAndStatusTwo() {
        AnalyzeCommandTest.Run both = AnalyzeCommandTest.fathom(args(DNS.toString(), "--events", dir.resolve("a").toString(),
                "--events-dir", dir.resolve("b").toString()));
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.errLines()).hasSize(1).first().asString().contains("--events and --events-dir");
        AnalyzeCommandTest.Run agg = AnalyzeCommandTest.fathom(args(DNS.toString(), "--privacy", "aggregate",
                "--aggregates", dir.resolve("agg").toString(), "--events", dir.resolve("e").toString()));
        assertThat(agg.status()).isEqualTo(2);
        assertThat(agg.errLines()).hasSize(1).first().asString().contains("aggregate mode releases no per-transaction events");
    }
}
