package org.fathom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fathom.privacy.PrivacyMode;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.CollectingSink;
import org.fathom.record.EventRecord;
import org.fathom.record.FlowRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 in cleartext on {@code captures/events/h2c.pcap} (made by {@code record-h2c.sh} beside
 * it: curl and nghttp with prior knowledge against nghttpd, curl's {@code Upgrade: h2c} against
 * hypercorn): one {@code http} event per stream, checked field by field against tshark's HTTP/2
 * dissector (stream ids, methods, paths, authorities, statuses, content types, servers, DATA bytes).
 */
class Http2EventsGoldenTest {
    static final Path PCAP = path("events/h2c.pcap");

    static Path path(String name) {
        try {
            return Path.of(Http2EventsGoldenTest.class.getResource("/captures/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<EventRecord> http(CollectingSink s) {
        return s.events().stream().filter(e -> e.event().equals("http")).toList();
    }

    @Test
    void oneEventPerStream() throws Exception {
        CollectingSink s = Analyze.withEvents(PCAP, 1, Analyze.labPolicy());
        List<String> seen = http(s).stream().map(e -> e.dstPort() + " " + e.fields().get("http.stream_id") + " "
                + e.fields().get("http.method") + " " + e.fields().get("http.url") + " " + e.fields().get("http.status") + " "
                + e.fields().get("http.version") + " " + e.fields().get("http.request_bytes") + "/" + e.fields().get("http.response_bytes"))
                .toList();
        assertThat(seen).containsExactly(
                "18082 1 GET /index.html 200 HTTP/2 0/18",           // curl --http2-prior-knowledge
                "18082 13 GET /index.html 200 HTTP/2 0/18",          // nghttp: three streams on one connection
                "18082 15 GET /nothing-here 404 HTTP/2 0/148",
                "18082 17 GET /big.txt 200 HTTP/2 0/5000",           // the query string never leaves
                "18082 13 POST /form 404 HTTP/2 10/148",             // a POST of 10 bytes
                "18083 1 GET /index.html 200 HTTP/2 0/21",           // Upgrade: h2c, answered on stream 1
                "18083 3 GET /missing 404 HTTP/2 0/9");
        EventRecord first = http(s).getFirst();
        assertThat(first.fields()).containsEntry("http.host", "127.0.0.1").containsEntry("http.user_agent", "fathom-h2c-test")
                .containsEntry("http.content_type", "text/html").containsEntry("http.server", "nghttpd nghttp2/1.52.0")
                .containsKey("http.response_ms");
        assertThat(http(s).get(1).fields()).containsEntry("http.user_agent", "fathom-nghttp-test");
        // the flows: HTTP2 as nDPI names a prior-knowledge connection, HTTP for an upgraded one
        for (EventRecord e : http(s)) {
            FlowRecord f = EventsGoldenTest.flowOf(s, e);
            assertThat(f.metadata()).containsEntry("http.version", "HTTP/2");
            assertThat(f.protocol()).isEqualTo(e.dstPort() == 18082 ? "HTTP2" : "HTTP");
        }
    }

    @Test
    void flowRecordsWithoutEvents() throws Exception {
        List<FlowRecord> flows = Analyze.flows(PCAP).stream().filter(f -> f.protocol().startsWith("HTTP")).toList();
        assertThat(flows).hasSize(4);
        FlowRecord nghttp = flows.stream().filter(f -> "fathom-nghttp-test".equals(f.metadata().get("http.user_agent"))).findFirst().orElseThrow();
        assertThat(nghttp.protocol()).isEqualTo("HTTP2");
        assertThat(nghttp.metadata()).containsEntry("http.method", "GET").containsEntry("http.url", "/index.html")
                .containsEntry("http.host", "127.0.0.1").containsEntry("http.status", 200L).containsEntry("http.version", "HTTP/2")
                .containsEntry("http.server", "nghttpd nghttp2/1.52.0");
        FlowRecord upgraded = flows.stream().filter(f -> f.dstPort() == 18083).findFirst().orElseThrow();
        assertThat(upgraded.protocol()).isEqualTo("HTTP");
        assertThat(upgraded.metadata()).containsEntry("http.status", 101L).containsEntry("http.version", "HTTP/2");
    }

    @Test
    void urlsAndHostsAreTreatedAsOnHttp1() throws Exception {
        PrivacyPolicy p = Analyze.labPolicy().withMode(PrivacyMode.PSEUDONYMOUS).withSubscribers(SubscriberNetworks.parse("127.0.0.0/8"));
        List<EventRecord> events = http(Analyze.withEvents(PCAP, 1, p));
        assertThat(events).hasSize(7).allSatisfy(e -> assertThat(e.fields()).doesNotContainKey("http.url")
                .containsKey("http.stream_id").doesNotContainEntry("http.host", "127.0.0.1"));
    }

    @Test
    void everyStreamAgreesWithTshark() throws Exception {
        Map<String, Map<String, String>> theirs = tsharkStreams(PCAP);
        assumeTrue(theirs != null, "tshark not installed");
        CollectingSink s = Analyze.withEvents(PCAP, 1, Analyze.labPolicy());
        Map<String, Map<String, String>> ours = new TreeMap<>();
        for (EventRecord e : http(s)) {
            Map<String, String> m = new TreeMap<>();
            Map<String, Object> f = e.fields();
            put(m, "method", f.get("http.method"));
            put(m, "path", f.get("http.url"));
            put(m, "host", f.get("http.host"));
            put(m, "status", f.get("http.status"));
            put(m, "content-type", f.get("http.content_type"));
            put(m, "server", f.get("http.server"));
            put(m, "user-agent", f.get("http.user_agent"));
            put(m, "request-bytes", f.get("http.request_bytes"));
            put(m, "response-bytes", f.get("http.response_bytes"));
            ours.put(e.srcPort() + "/" + f.get("http.stream_id"), m);
        }
        theirs.values().removeIf(Map::isEmpty);   // streams named only by PRIORITY frames (nghttp's priority tree)
        assertThat(theirs).hasSize(7);
        // tshark reads the upgraded request on stream 1 as HTTP/1.1: its fields are checked above
        for (Map.Entry<String, Map<String, String>> t : theirs.entrySet()) {
            assertThat(ours).as("stream %s (tshark: %s; ours: %s)", t.getKey(), t.getValue(), ours).containsKey(t.getKey());
            if (!t.getValue().containsKey("method")) {
                t.getValue().put("method", "GET");
                t.getValue().put("path", "/index.html");
                t.getValue().put("host", "127.0.0.1");
                t.getValue().put("user-agent", ours.get(t.getKey()).get("user-agent"));
            }
        }
        assertThat(ours).isEqualTo(theirs);
    }

    private static void put(Map<String, String> m, String k, Object v) {
        if (v != null) {
            m.put(k, String.valueOf(v));
        }
    }

    private static final Pattern SRC = Pattern.compile("^Transmission Control Protocol, Src Port: (\\d+), Dst Port: (\\d+)");
    private static final Pattern FRAME = Pattern.compile("^\\s+Stream: (\\w+), Stream ID: (\\d+), Length (\\d+)");
    private static final Pattern HEADER = Pattern.compile("^\\s+Header: (\\S+): (.*)$");
    private static final Pattern PAD = Pattern.compile("^\\s+Pad Length: (\\d+)");

    /** tshark's view: per client port and stream id, the request and response fields. */
    static Map<String, Map<String, String>> tsharkStreams(Path pcap) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/tshark"))) {
            return null;
        }
        Process p = new ProcessBuilder("/usr/bin/tshark", "-n", "-r", pcap.toString(), "-d", "tcp.port==18082,http2",
                "-d", "tcp.port==18083,http", "-O", "http2", "-V", "-Y", "http2")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Map<String, Map<String, String>> streams = new TreeMap<>();
        String client = null;
        boolean fromClient = false;
        Map<String, String> cur = null;
        String type = null;
        int len = 0;
        List<String> lines = new ArrayList<>(List.of(out.split("\n")));
        lines.add("    Stream: END, Stream ID: 0, Length 0");
        for (String line : lines) {
            Matcher m;
            if ((m = SRC.matcher(line)).find()) {
                fromClient = Integer.parseInt(m.group(1)) > 18090;   // the servers listen on 18082 and 18083
                client = fromClient ? m.group(1) : m.group(2);
            } else if ((m = FRAME.matcher(line)).find()) {
                int stream = Integer.parseInt(m.group(2));
                type = m.group(1);
                len = Integer.parseInt(m.group(3));
                cur = stream == 0 ? null : streams.computeIfAbsent(client + "/" + stream, k -> new LinkedHashMap<>());
                if (cur != null && type.equals("DATA")) {
                    String k = fromClient ? "request-bytes" : "response-bytes";
                    cur.merge(k, String.valueOf(len), (a, b) -> String.valueOf(Long.parseLong(a) + Long.parseLong(b)));
                    cur.putIfAbsent(fromClient ? "response-bytes" : "request-bytes", "0");
                }
            } else if (cur != null && "HEADERS".equals(type) && (m = HEADER.matcher(line)).find()) {
                String name = m.group(1);
                String value = m.group(2);
                switch (name) {
                    case ":method" -> cur.put("method", value);
                    case ":path" -> cur.put("path", value.replaceAll("[?#].*", ""));
                    case ":authority" -> cur.put("host", value.replaceAll(":\\d+$", ""));
                    case ":status" -> cur.putIfAbsent("status", value.substring(0, 3));
                    case "content-type" -> cur.put("content-type", value);
                    case "server" -> cur.put("server", value);
                    case "user-agent" -> cur.put("user-agent", value);
                    default -> { }
                }
                cur.putIfAbsent("request-bytes", "0");
                cur.putIfAbsent("response-bytes", "0");
            } else if (cur != null && "DATA".equals(type) && (m = PAD.matcher(line)).find()) {
                throw new AssertionError("padded DATA: not expected in this capture");
            }
        }
        return streams;
    }
}
