package org.fathom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.fathom.privacy.PrivacyMode;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.CollectingSink;
import org.fathom.record.EventRecord;
import org.fathom.record.FlowRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of the per-transaction events ({@code --events}) on captures recorded on loopback
 * with real clients and servers (see the README or record.sh beside each capture): every event
 * type, its fields, its link to its flow, and the peers' own view where a tool gives one (tshark's
 * {@code http.time}, {@code dns.time}, the certificate's bytes).
 */
class EventsGoldenTest {
    static Path capture(String name) throws Exception {
        return Path.of(EventsGoldenTest.class.getResource("/captures/" + name).toURI());
    }

    static CollectingSink run(String name) throws Exception {
        return Analyze.withEvents(capture(name), 1, Analyze.labPolicy());
    }

    static List<EventRecord> of(CollectingSink s, String kind) {
        return s.events().stream().filter(e -> e.event().equals(kind)).toList();
    }

    @Test
    void httpKeepAlivePipeliningHeadAndPost() throws Exception {
        CollectingSink s = run("events/http-pipelined.pcap");
        List<EventRecord> http = of(s, "http");
        assertThat(http).hasSize(8);
        List<String> seen = http.stream().map(e -> e.fields().get("http.method") + " " + e.fields().get("http.url") + " "
                + e.fields().get("http.status") + " " + e.fields().get("http.response_bytes")).toList();
        assertThat(seen).containsExactly(
                "GET /index.html 200 18", "GET /nothing-here 404 335",      // keep-alive: two requests, one connection
                "GET /big.txt 200 5000",                                    // the query string never leaves
                "HEAD /index.html 200 0", "POST /form 501 357",
                "GET /index.html 200 18", "GET /missing 404 335",           // pipelined: three requests written at once
                "GET /big.txt null null");                                  // the server closed after its 404
        assertThat(http.get(4).fields()).containsEntry("http.request_bytes", 10L);
        assertThat(http.get(5).fields()).containsEntry("http.user_agent", "pipeline-test");
        assertThat(http.get(0).srcPort()).isEqualTo(http.get(1).srcPort());
        assertThat(http.get(5).srcPort()).isEqualTo(http.get(6).srcPort()).isEqualTo(http.get(7).srcPort());
        // each flow: its first response time and its error counts
        FlowRecord keepAlive = flowOf(s, http.get(0));
        assertThat(keepAlive.metadata()).containsEntry("http.errors_4xx", 1L).containsKey("http.response_ms");
    }

    @Test
    void httpResponseTimesAgreeWithTshark() throws Exception {
        Path pcap = capture("events/http-pipelined.pcap");
        List<String[]> rows = Tshark.fields(pcap, "http.time", "tcp.dstport", "http.response.code", "http.time");
        assumeTrue(rows != null, "tshark not installed");
        CollectingSink s = Analyze.withEvents(pcap, 1, Analyze.labPolicy());
        Map<String, Double> ours = new HashMap<>();
        for (EventRecord e : of(s, "http")) {
            if (e.fields().get("http.response_ms") instanceof Double d) {
                ours.put(e.srcPort() + "/" + e.fields().get("http.status"), d);
            }
        }
        assertThat(rows).hasSizeGreaterThanOrEqualTo(5);
        for (String[] r : rows) {
            Double mine = ours.get(r[0] + "/" + r[1]);
            assertThat(mine).as("response %s/%s", r[0], r[1]).isNotNull();
            // tshark times the frame that completes the response, Fathom the one that completes its head
            assertThat(mine).as("response %s/%s", r[0], r[1]).isCloseTo(Double.parseDouble(r[2]) * 1000, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    @Test
    void dnsAnswersAndResponseTimesAgreeWithTshark() throws Exception {
        Path pcap = capture("dns/dig-dnsmasq.pcap");
        CollectingSink s = Analyze.withEvents(pcap, 1, Analyze.labPolicy());
        List<EventRecord> dns = of(s, "dns");
        assertThat(dns.stream().map(e -> e.l4() + " " + e.fields().get("dns.query") + " " + e.fields().get("dns.qtype") + " "
                + e.fields().get("dns.rcode") + " " + e.fields().get("dns.answers")).toList()).containsExactly(
                "UDP www.example.test A NOERROR [192.0.2.7]",
                "UDP alias.example.test AAAA NOERROR [www.example.test]",
                "UDP missing.example.test A NXDOMAIN null",
                "TCP www.example.test AAAA NOERROR [2001:db8::7]");
        List<String[]> rows = Tshark.fields(pcap, "dns.time", "dns.id", "dns.time");
        assumeTrue(rows != null, "tshark not installed");
        assertThat(rows).hasSize(4);
        for (String[] r : rows) {
            long id = Long.decode(r[0]);
            EventRecord e = dns.stream().filter(x -> x.fields().get("dns.id").equals(id)).findFirst().orElseThrow();
            assertThat((Double) e.fields().get("dns.response_ms")).isCloseTo(Double.parseDouble(r[1]) * 1000,
                    org.assertj.core.data.Offset.offset(0.001));
        }
    }

    @Test
    void tlsHandshakesWithCertificateFingerprintAndAlert() throws Exception {
        CollectingSink s = run("tls/tls12-selfsigned.pcap");
        List<EventRecord> tls = of(s, "tls");
        assertThat(tls).hasSize(1);
        Map<String, Object> f = tls.getFirst().fields();
        assertThat(f).containsEntry("tls.version", "TLSv1.2").containsEntry("tls.sni", "fathom.test")
                .containsEntry("tls.alpn", List.of("h2", "http/1.1"))
                .containsEntry("tls.cert_subject", "C=US, O=Fathom Test, CN=fathom.test")
                .containsEntry("tls.cert_issuer", "C=US, O=Fathom Test, CN=fathom.test")
                .containsKeys("tls.ja3", "tls.ja3s", "tls.ja4", "tls.cert_not_before", "tls.cert_not_after", "tls.handshake_ms");
        List<String[]> cert = Tshark.fields(capture("tls/tls12-selfsigned.pcap"), "tls.handshake.certificate", "tls.handshake.certificate");
        if (cert != null) {
            byte[] der = HexFormat.of().parseHex(cert.getFirst()[0].split(",")[0].replace(":", ""));
            String sha1 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(der));
            assertThat(f).containsEntry("tls.cert_sha1", sha1);
        }
        Map<String, Object> t13 = of(run("tls/tls13.pcap"), "tls").getFirst().fields();
        assertThat(t13).containsEntry("tls.version", "TLSv1.3").containsEntry("tls.alpn", List.of("h2"));

        CollectingSink failed = run("events/tls-alert.pcap");
        Map<String, Object> a = of(failed, "tls").getFirst().fields();
        assertThat(a).containsEntry("tls.client_version", "TLSv1.3").containsEntry("tls.alert", "protocol_version")
                .containsEntry("tls.alert_from", "server").doesNotContainKey("tls.version");
        assertThat(failed.flows().getFirst().metadata()).containsEntry("tls.alert", "protocol_version");
    }

    @Test
    void aWarningAlertDoesNotEndTheHandshake() throws Exception {
        // corpus: the server warns unrecognized_name before its ServerHello, and the handshake goes on
        Path pcap = CaptureAnalyzerTest.CORPUS.resolve("http_ipv6.pcap");
        assumeTrue(java.nio.file.Files.exists(pcap), "nDPI corpus not present");
        CollectingSink s = Analyze.withEvents(pcap, 1, Analyze.labPolicy());
        List<EventRecord> warned = of(s, "tls").stream().filter(e -> "unrecognized_name".equals(e.fields().get("tls.alert"))).toList();
        assertThat(warned).hasSize(4).allSatisfy(e -> assertThat(e.fields()).containsEntry("tls.alert_from", "server")
                .containsEntry("tls.version", "TLSv1.2").containsKeys("tls.cert_subject", "tls.cert_sha1", "tls.ja3s"));
        assertThat(Analyze.flows(pcap).stream().filter(f -> "unrecognized_name".equals(f.metadata().get("tls.alert"))))
                .hasSize(4).allSatisfy(f -> assertThat(f.metadata()).containsKeys("tls.version", "tls.cert_subject"));
    }

    @Test
    void sshKeyExchange() throws Exception {
        Map<String, Object> f = of(run("ssh/ssh.pcap"), "ssh").getFirst().fields();
        // the values Wireshark gives for the same file (README beside it)
        assertThat(f).containsEntry("ssh.hassh", "472b5de333ad665af5cbf10ff892c4df")
                .containsEntry("ssh.hassh_server", "425d29fe50d8e4f5e37efb6e24bcf660")
                .containsEntry("ssh.client_banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
    }

    @Test
    void ftpCommandsAndReplies() throws Exception {
        List<EventRecord> ftp = of(run("ftp/ftp.pcap"), "ftp");
        assertThat(ftp.stream().map(e -> e.fields().get("ftp.command") + " " + e.fields().get("ftp.reply_code")).toList())
                .containsExactly("USER 331", "PASS 230", "TYPE 200", "PASV 227", "LIST 226", "QUIT 221",
                        "USER 331", "PASS 230", "TYPE 200", "PORT 200", "LIST 226", "QUIT 221");
        assertThat(ftp.getFirst().fields()).containsEntry("ftp.user", "alice").doesNotContainKey("ftp.argument");
    }

    @Test
    void smtpTransaction() throws Exception {
        List<EventRecord> smtp = of(run("smtp/smtp.pcap"), "smtp");
        assertThat(smtp).hasSize(1);
        assertThat(smtp.getFirst().fields()).containsEntry("smtp.ehlo", "client.fathom.test")
                .containsEntry("smtp.rcpt_count", 1L).containsEntry("smtp.reply_code", 250L).containsKey("smtp.mail_from");
    }

    @Test
    void sipRequestsAndResponses() throws Exception {
        List<EventRecord> sip = of(run("sip/sipp-udp.pcap"), "sip");
        // SIPp: three calls INVITE/180/200/ACK/BYE/200
        assertThat(sip).hasSize(18);
        assertThat(sip.subList(0, 6).stream().map(e -> String.valueOf(e.fields().getOrDefault("sip.method", e.fields().get("sip.status")))).toList())
                .containsExactly("INVITE", "180", "200", "ACK", "BYE", "200");
        assertThat(sip.stream().map(e -> e.fields().get("sip.call_id")).distinct()).hasSize(3);
    }

    static FlowRecord flowOf(CollectingSink s, EventRecord e) {
        List<FlowRecord> l = s.flows().stream().filter(f -> e.flowId().equals(f.metadata().get("flow_id"))).toList();
        assertThat(l).as("flow of %s", e).hasSize(1);
        return l.getFirst();
    }

    @Test
    void everyEventNamesItsFlowAndTheIdsDoNotDependOnTheWorkers() throws Exception {
        for (String c : List.of("events/http-pipelined.pcap", "dns/dig-dnsmasq.pcap", "ftp/ftp.pcap", "sip/sipp-udp.pcap")) {
            PrivacyPolicy p = Analyze.labPolicy();   // one key file: the ids are keyed by it
            CollectingSink one = Analyze.withEvents(capture(c), 1, p);
            for (EventRecord e : one.events()) {
                FlowRecord f = flowOf(one, e);
                assertThat(e.srcPort()).isEqualTo(f.srcPort());
                assertThat(e.flowFirstSeenNanos()).isEqualTo(f.firstSeenNanos());
            }
            CollectingSink three = Analyze.withEvents(capture(c), 3, p);
            assertThat(sorted(three.events())).as(c).isEqualTo(sorted(one.events()));
            assertThat(three.flows().stream().map(f -> f.metadata().get("flow_id")).collect(Collectors.toSet()))
                    .isEqualTo(one.flows().stream().map(f -> f.metadata().get("flow_id")).collect(Collectors.toSet()));
        }
    }

    static List<String> sorted(List<EventRecord> l) {
        List<String> out = new ArrayList<>(l.stream().map(EventRecord::toString).toList());
        out.sort(null);
        return out;
    }

    @Test
    void eventsAreTreatedAsTheirFlows() throws Exception {
        PrivacyPolicy p = Analyze.labPolicy().withMode(PrivacyMode.PSEUDONYMOUS).withSubscribers(SubscriberNetworks.parse("127.0.0.0/8"));
        CollectingSink s = Analyze.withEvents(capture("events/http-pipelined.pcap"), 1, p);
        assertThat(s.events()).isNotEmpty();
        for (EventRecord e : s.events()) {
            FlowRecord f = flowOf(s, e);
            assertThat(e.srcIp()).isEqualTo(f.srcIp()).isNotEqualTo("127.0.0.1");   // the same pseudonym as its flow
            assertThat(e.dstIp()).isEqualTo(f.dstIp());
            assertThat(e.fields()).doesNotContainKey("http.url").containsKey("pseudonym_epoch");
        }
        CollectingSink smtp = Analyze.withEvents(capture("smtp/smtp.pcap"), 1, p);
        assertThat((String) of(smtp, "smtp").getFirst().fields().get("smtp.mail_from")).startsWith("u-");

        PrivacyPolicy agg = Analyze.labPolicy().withMode(PrivacyMode.AGGREGATE).withSubscribers(SubscriberNetworks.parse("127.0.0.0/8"));
        assertThat(Analyze.withEvents(capture("events/http-pipelined.pcap"), 1, agg).events()).isEmpty();
    }

    @Test
    void noEventIsMadeWithoutAnOutputThatTakesThem() throws Exception {
        CollectingSink sink = new CollectingSink();
        PrivacyPolicy p = Analyze.labPolicy();
        try (org.fathom.privacy.PrivacyGuard guard = new org.fathom.privacy.PrivacyGuard(p,
                org.fathom.privacy.AuditLog.open(p.auditLog()), List.of(sink))) {
            new CaptureAnalyzer(AnalysisOptions.defaults()).analyze(capture("events/http-pipelined.pcap"), 1, guard,
                    new AnalysisSummary(), Progress.NONE);
            assertThat(guard.eventsWanted()).isFalse();
            assertThat(guard.releasedEvents()).isZero();
        }
        assertThat(sink.flows()).isNotEmpty().allSatisfy(f -> assertThat(f.metadata()).containsKey("flow_id"));
        assertThat(Set.copyOf(sink.events())).isEmpty();
    }
}
