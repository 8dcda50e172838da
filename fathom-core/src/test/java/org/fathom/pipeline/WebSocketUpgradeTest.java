package org.fathom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fathom.record.EventRecord;
import org.fathom.record.FlowRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 upgrades: the event of a request answered by {@code 101 Switching Protocols} names the
 * protocol switched to ({@code http.upgrade}); the flow stays {@code HTTP}, as nDPI names these
 * flows. Corpus captures with WebSocket handshakes, against tshark's {@code http.upgrade} on
 * 101 responses; the h2c golden capture for {@code h2c}.
 */
class WebSocketUpgradeTest {
    @Test
    void webSocketHandshakesAgreeWithTshark() throws Exception {
        assumeTrue(Files.isDirectory(CaptureAnalyzerTest.CORPUS), "nDPI corpus not present");
        for (String c : List.of("1kxun.pcap", "false_positives.pcapng", "http_origin_different_than_host.pcap")) {
            Path pcap = CaptureAnalyzerTest.CORPUS.resolve(c);
            List<String[]> rows = Tshark.fields(pcap, "http.response.code == 101", "tcp.dstport", "http.upgrade");
            assumeTrue(rows != null, "tshark not installed");
            var s = Analyze.withEvents(pcap, 1, Analyze.labPolicy());
            List<String> ours = s.events().stream().filter(e -> e.event().equals("http") && Long.valueOf(101).equals(e.fields().get("http.status")))
                    .map(e -> e.srcPort() + " " + e.fields().get("http.upgrade")).toList();
            List<String> theirs = rows.stream().map(r -> r[0] + " " + r[1].toLowerCase(java.util.Locale.ROOT)).toList();
            assertThat(theirs).as(c).isNotEmpty();
            assertThat(ours).as(c).containsExactlyInAnyOrderElementsOf(theirs);
            for (EventRecord e : s.events()) {
                if ("websocket".equals(e.fields().get("http.upgrade"))) {
                    FlowRecord f = EventsGoldenTest.flowOf(s, e);
                    assertThat(f.protocol()).as(c).isEqualTo("HTTP");
                }
            }
        }
    }

    @Test
    void theUpgradedH2cStreamSaysSo() throws Exception {
        List<EventRecord> h2 = Analyze.withEvents(Http2EventsGoldenTest.PCAP, 1, Analyze.labPolicy()).events().stream()
                .filter(e -> e.dstPort() == 18083).toList();
        assertThat(h2).hasSize(2);
        assertThat(h2.get(0).fields()).containsEntry("http.upgrade", "h2c").containsEntry("http.stream_id", 1L);
        assertThat(h2.get(1).fields()).doesNotContainKey("http.upgrade");
    }
}
