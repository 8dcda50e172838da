package org.fathom.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.CaptureAnalyzer;
import org.fathom.pipeline.Progress;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole pipeline over captures recorded with real clients and servers on loopback
 * (see {@code captures/README-web.md}) and checks what the web, naming and VoIP dissectors made
 * of them.
 */
class WebGoldenCaptureTest {
    static List<FlowRecord> analyze(String resource) throws Exception {
        Path p = Path.of(WebGoldenCaptureTest.class.getResource("/captures/" + resource).toURI());
        List<FlowRecord> out = new ArrayList<>(org.fathom.testing.Analyze.flows(p));
        out.sort(java.util.Comparator.comparingLong(FlowRecord::firstSeenNanos));
        return out;
    }

    @Test
    void curlAgainstPythonHttpServer() throws Exception {
        List<FlowRecord> flows = analyze("http/curl-python-http-server.pcap");
        assertThat(flows).hasSize(3);
        FlowRecord keepAlive = flows.get(0);
        assertThat(keepAlive.protocol()).isEqualTo("HTTP");
        assertThat(keepAlive.confidence()).isEqualTo("DPI");
        assertThat(keepAlive.metadata()).containsEntry("http.method", "GET").containsEntry("http.url", "/index.html")
                .containsEntry("http.host", "127.0.0.1").containsEntry("http.requests", 2L).containsEntry("http.status", 200L)
                .containsEntry("http.user_agent", "curl/7.88.1").containsEntry("http.content_type", "text/html");
        assertThat((String) keepAlive.metadata().get("http.server")).startsWith("SimpleHTTP/0.6 Python/");
        assertThat(keepAlive.risks()).contains("numeric_ip_host");

        FlowRecord basic = flows.get(1);
        assertThat(basic.metadata()).containsEntry("http.host", "localhost").containsEntry("http.user_agent", "fathom-golden/1.0");
        assertThat(basic.risks()).contains("clear_text_credentials").doesNotContain("numeric_ip_host");
        assertThat(basic.metadata().toString()).doesNotContain("token").doesNotContain("ZmF0aG9t");

        FlowRecord proxy = flows.get(2);
        assertThat(proxy.protocol()).isEqualTo("HTTP_Proxy");
        assertThat(proxy.metadata()).containsEntry("http.host", "example.test").containsEntry("http.status", 404L);
        assertThat(proxy.risks()).contains("http_error_response");
    }

    @Test
    void digAgainstDnsmasq() throws Exception {
        List<FlowRecord> flows = analyze("dns/dig-dnsmasq.pcap");
        assertThat(flows).hasSize(4).allSatisfy(f -> {
            assertThat(f.protocol()).isEqualTo("DNS");
            assertThat(f.confidence()).isEqualTo("DPI");
            assertThat(f.srcPort()).isNotEqualTo(53); // the querier is the client
        });
        assertThat(flows.get(0).metadata()).containsEntry("dns.query", "www.example.test").containsEntry("dns.qtype", "A")
                .containsEntry("dns.rcode", "NOERROR").containsEntry("dns.answers", List.of("192.0.2.7"));
        assertThat(flows.get(1).metadata()).containsEntry("dns.query", "alias.example.test").containsEntry("dns.qtype", "AAAA")
                .containsEntry("dns.answers", List.of("www.example.test"));
        assertThat(flows.get(2).metadata()).containsEntry("dns.rcode", "NXDOMAIN");
        assertThat(flows.get(2).risks()).contains("dns_error_response");
        FlowRecord tcp = flows.get(3);
        assertThat(tcp.l4()).isEqualTo("TCP");
        assertThat(tcp.metadata()).containsEntry("dns.qtype", "AAAA").containsEntry("dns.answers", List.of("2001:db8::7"));
    }

    @Test
    void sippCallsOverUdpAndTcp() throws Exception {
        for (String file : new String[] {"sip/sipp-udp.pcap", "sip/sipp-tcp.pcap"}) {
            List<FlowRecord> flows = analyze(file);
            assertThat(flows).as(file).hasSize(1);
            FlowRecord f = flows.get(0);
            assertThat(f.protocol()).isEqualTo("SIP");
            assertThat(f.category()).isEqualTo("VoIP");
            assertThat(f.metadata()).containsEntry("sip.method", "INVITE").containsEntry("sip.status", 200L)
                    .containsKey("sip.call_id");
            assertThat((String) f.metadata().get("sip.from")).startsWith("sip:sipp@127.0.0.1");
            assertThat((String) f.metadata().get("sip.to")).startsWith("sip:service@127.0.0.1");
        }
    }

    @Test
    void ntpdateAgainstALocalResponder() throws Exception {
        List<FlowRecord> flows = analyze("ntp/ntpdate.pcap");
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).protocol()).isEqualTo("NTP");
        assertThat(flows.get(0).category()).isEqualTo("System");
        assertThat(flows.get(0).metadata()).containsEntry("ntp.version", 4L).containsEntry("ntp.mode", "client");
    }

    @Test
    void loggerAndSnmpget() throws Exception {
        List<FlowRecord> syslog = analyze("syslog/logger.pcap");
        assertThat(syslog).hasSize(2).allSatisfy(f -> assertThat(f.protocol()).isEqualTo("Syslog"));
        assertThat(syslog.get(0).metadata()).containsEntry("syslog.facility", 19L).containsEntry("syslog.severity", 4L);
        assertThat(syslog.get(1).metadata()).containsEntry("syslog.facility", 1L).containsEntry("syslog.severity", 5L);
        List<FlowRecord> snmp = analyze("snmp/snmpget.pcap");
        assertThat(snmp).hasSize(2).allSatisfy(f -> {
            assertThat(f.protocol()).isEqualTo("SNMP");
            assertThat(f.metadata().toString()).doesNotContain("public");
        });
        assertThat(snmp.get(0).metadata()).containsEntry("snmp.version", "2c").containsEntry("snmp.pdu", "get-request");
        assertThat(snmp.get(1).metadata()).containsEntry("snmp.version", "1");
    }
}
