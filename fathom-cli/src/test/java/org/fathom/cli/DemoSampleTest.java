package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled sample, end to end: {@code analyze samples/demo.pcap} finds each thing
 * {@code samples/make-sample.sh} made (samples/README.md): DNS, web and TLS flows with their
 * fields, six SIP calls with their outcomes, the emergency call, and the SYN flood's alert; and
 * the subscriber's address never appears in a record.
 */
class DemoSampleTest {
    private static final Path DEMO = Path.of("..", "samples", "demo.pcap");
    private static final String SUBSCRIBER = "10.77.0.2";

    @TempDir
    static Path dir;
    static AnalyzeCommandTest.Run run;
    static List<Map<String, Object>> flows;
    static List<Map<String, Object>> calls;
    static List<Map<String, Object>> alerts;
    static String records;

    @BeforeAll
    static void analyse() throws IOException {
        assertThat(DEMO).as("the bundled sample, relative to the module folder").isRegularFile();
        Path f = dir.resolve("flows.jsonl");
        Path c = dir.resolve("calls.jsonl");
        Path a = dir.resolve("alerts.jsonl");
        run = AnalyzeCommandTest.fathom("analyze", DEMO.toString(), "--flows", f.toString(), "--calls", c.toString(),
                "--alerts", a.toString(), "--audit-log", dir.resolve("audit.log").toString());
        assertThat(run.status()).as(run.err()).isZero();
        records = Files.readString(f) + Files.readString(c) + Files.readString(a);
        flows = JsonLines.flows(Files.readString(f));
        calls = ofType(Files.readString(c), "call");
        alerts = ofType(Files.readString(a), "alert");
    }

    private static List<Map<String, Object>> ofType(String text, String type) {
        return JsonLines.parse(text).stream().filter(m -> type.equals(m.get("type"))).toList();
    }

    private static String text(Map<String, Object> m, String key) {
        return String.valueOf(m.get(key));
    }

    private static List<Map<String, Object>> flowsOf(String protocol) {
        return flows.stream().filter(m -> protocol.equals(m.get("protocol"))).toList();
    }

    @Test
    void theReadmesFirstCommandAnalysesThisSample() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        assertThat(readme).contains("./fathom analyze samples/demo.pcap ");
    }

    @Test
    void everyProtocolTheLabSpokeIsClassified() {
        assertThat(flows.stream().map(m -> text(m, "protocol")).collect(Collectors.toSet()))
                .contains("HTTP", "TLS", "DNS", "SIP", "RTP");
        assertThat(run.out()).containsPattern("\nHTTP +[\\d,]+ ").containsPattern("\nTLS +[\\d,]+ ")
                .containsPattern("\nDNS +[\\d,]+ ").containsPattern("\nSIP +[\\d,]+ ").containsPattern("\nRTP +[\\d,]+ ");
    }

    @Test
    void webFlowsCarryTheHostAndStatusIncludingThe404() {
        List<Map<String, Object>> web = flowsOf("HTTP").stream().filter(m -> m.containsKey("http.status")).toList();
        assertThat(web).allSatisfy(m -> assertThat(text(m, "http.host")).isEqualTo("www.fathom.example"));
        assertThat(web).anySatisfy(m -> assertThat(text(m, "http.status")).isEqualTo("200"));
        assertThat(web).filteredOn(m -> text(m, "http.status").equals("404")).singleElement()
                .satisfies(m -> assertThat(text(m, "risks")).contains("http_error_response"));
        assertThat(web).anySatisfy(m -> assertThat(((Number) m.get("bytes_s2c")).longValue()).isGreaterThan(200_000));
    }

    @Test
    void tlsFlowsCarryTheServerNamesVersionsAndTheSelfSignedCertificate() {
        List<Map<String, Object>> tls = flowsOf("TLS").stream().filter(m -> m.containsKey("tls.sni")).toList();
        assertThat(tls.stream().map(m -> text(m, "tls.sni")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("secure.fathom.example", "mail.fathom.example");
        assertThat(tls.stream().map(m -> text(m, "tls.version")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(tls).anySatisfy(m -> {
            assertThat(text(m, "tls.cert_subject")).isEqualTo("CN=secure.fathom.example");
            assertThat(text(m, "risks")).contains("self_signed_certificate");
        });
        assertThat(tls).allSatisfy(m -> assertThat(text(m, "tls.ja4")).startsWith("t1"));
    }

    @Test
    void dnsFlowsCarryTheQueriesAnswersAndTheNxdomain() {
        List<Map<String, Object>> dns = flowsOf("DNS");
        assertThat(dns).anySatisfy(m -> {
            assertThat(text(m, "dns.query")).isEqualTo("www.fathom.example");
            assertThat(text(m, "dns.answers")).contains("192.0.2.80");
        });
        assertThat(dns).filteredOn(m -> text(m, "dns.query").equals("nosuch.fathom.example")).singleElement()
                .satisfies(m -> assertThat(text(m, "dns.rcode")).isEqualTo("NXDOMAIN"));
        assertThat(dns).anySatisfy(m -> assertThat(text(m, "dns.qtype")).isEqualTo("PTR"));
        assertThat(dns).anySatisfy(m -> assertThat(text(m, "dns.qtype")).isEqualTo("TXT"));
        assertThat(dns).anySatisfy(m -> {
            assertThat(text(m, "l4")).isEqualTo("TCP");
            assertThat(text(m, "dns.query")).isEqualTo("sip.fathom.example");
        });
    }

    @Test
    void sixCallsWithEveryOutcomeTheScriptPlayed() {
        Map<String, Long> outcomes = calls.stream().collect(Collectors.groupingBy(m -> text(m, "outcome"), TreeMap::new,
                Collectors.counting()));
        assertThat(outcomes).isEqualTo(Map.of("completed", 2L, "busy", 1L, "rejected", 1L, "failed", 1L, "dropped", 1L));
        assertThat(status("busy")).isEqualTo("486");
        assertThat(status("rejected")).isEqualTo("403");
        assertThat(status("failed")).isEqualTo("503");
        Map<String, Object> dropped = calls.stream().filter(m -> text(m, "outcome").equals("dropped")).findFirst().orElseThrow();
        assertThat(text(dropped, "end_reason")).isEqualTo("media_timeout");
        assertThat(media(dropped)).hasSize(2);
        assertThat(run.out()).contains("Calls      6 attempts, 3 answered", "1 emergency")
                .containsPattern("completed 2, dropped 1, busy 1,")
                .contains("blocked 2 (rejected 1, failed 1)");
    }

    @Test
    void theEmergencyCallTo112WasAnsweredWithMediaBothWays() {
        Map<String, Object> sos = calls.stream().filter(m -> Boolean.TRUE.equals(m.get("emergency"))).collect(
                Collectors.collectingAndThen(Collectors.toList(), l -> {
                    assertThat(l).hasSize(1);
                    return l.getFirst();
                }));
        assertThat(text(sos, "callee")).startsWith("sip:112@");
        assertThat(text(sos, "outcome")).isEqualTo("completed");
        assertThat(media(sos)).hasSize(2).allSatisfy(m -> {
            assertThat(text(m, "codec")).isEqualTo("PCMA/8000");
            assertThat(((Number) m.get("packets")).intValue()).isEqualTo(48);
        });
    }

    @Test
    void theSynFloodIsOneAlertWithSpoofedSources() {
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(text(a, "kind")).isEqualTo("syn_flood");
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) a.get("target");
            assertThat(text(target, "ip")).isEqualTo("192.0.2.43");
            assertThat(text(target, "port")).isEqualTo("443");
            assertThat(((Number) a.get("packets")).longValue()).isBetween(1_500L, 2_000L);
            assertThat(text(a, "detail")).contains("spoofed sources likely");
        });
        assertThat(run.out()).startsWith("Alerts     1\n  syn_flood              192.0.2.43 port 443 TCP");
    }

    @Test
    void theSubscribersAddressIsInNoRecord() {
        assertThat(records).doesNotContain(SUBSCRIBER);
        assertThat(run.out()).doesNotContain(SUBSCRIBER);
        assertThat(calls).allSatisfy(m -> assertThat(text(m, "caller")).startsWith("sip:u-"));
    }

    private static String status(String outcome) {
        return calls.stream().filter(m -> text(m, "outcome").equals(outcome)).map(m -> text(m, "final_status"))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> media(Map<String, Object> call) {
        return (List<Map<String, Object>>) call.get("media");
    }
}
