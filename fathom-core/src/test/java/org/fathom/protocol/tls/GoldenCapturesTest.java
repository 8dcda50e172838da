package org.fathom.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.CaptureAnalyzer;
import org.fathom.pipeline.Progress;
import org.fathom.protocol.quic.QuicGolden;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real clients and servers on loopback (see captures/tls/README.md), through the whole pipeline. */
class GoldenCapturesTest {
    static final Path DIR = Path.of("src/test/resources/captures/tls");

    static List<FlowRecord> analyze(Path pcap) throws Exception {
        return org.fathom.testing.Analyze.flows(pcap);
    }

    static FlowRecord only(Path pcap) throws Exception {
        List<FlowRecord> l = analyze(pcap);
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    @Test
    void tls12WithSelfSignedCertificate() throws Exception {
        FlowRecord r = only(DIR.resolve("tls12-selfsigned.pcap"));
        assertThat(r.protocol()).isEqualTo("TLS");
        assertThat(r.category()).isEqualTo("Web");
        assertThat(r.confidence()).isEqualTo("DPI");
        assertThat(r.metadata()).containsEntry("tls.sni", "fathom.test")
                .containsEntry("tls.alpn", List.of("h2", "http/1.1"))
                .containsEntry("tls.version", "TLSv1.2")
                .containsEntry("tls.cipher", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
                .containsEntry("tls.ja3", "22558766122974704364c9c75c5cce0a") // tshark 4.0 agrees
                .containsEntry("tls.ja3s", "ec74a5c51106f0419184d0dd08fb05bc")
                .containsEntry("tls.ja4", "t12d2808h2_d943125447b4_e7e480e5a997")
                .containsEntry("tls.cert_subject", "C=US, O=Fathom Test, CN=fathom.test")
                .containsEntry("tls.cert_issuer", "C=US, O=Fathom Test, CN=fathom.test")
                .containsEntry("tls.cert_names", List.of("fathom.test", "www.fathom.test"))
                .containsKeys("tls.cert_not_before", "tls.cert_not_after");
        assertThat(r.risks()).contains("self_signed_certificate").doesNotContain("obsolete_tls_version", "missing_sni");
    }

    @Test
    void tls13() throws Exception {
        FlowRecord r = only(DIR.resolve("tls13.pcap"));
        assertThat(r.protocol()).isEqualTo("TLS");
        assertThat(r.metadata()).containsEntry("tls.sni", "fathom.test")
                .containsEntry("tls.version", "TLSv1.3")
                .containsEntry("tls.cipher", "TLS_AES_256_GCM_SHA384")
                .containsEntry("tls.ja3", "9dffdb8b608a430b774a2ff7d36c1a0c")
                .containsEntry("tls.ja3s", "15af977ce25de452b96affa2addb1036")
                .doesNotContainKey("tls.cert_subject"); // encrypted in TLS 1.3
    }

    @Test
    void curlOverHttp11() throws Exception {
        FlowRecord r = only(DIR.resolve("curl-http11.pcap"));
        assertThat(r.protocol()).isEqualTo("TLS");
        assertThat(r.metadata()).containsEntry("tls.sni", "localhost")
                .containsEntry("tls.alpn", List.of("http/1.1"))
                .containsEntry("tls.ja3", "0149f47eabf9a20d0893e2a44e5a6323");
    }

    @Test
    void imapsWithoutSni() throws Exception {
        FlowRecord r = only(DIR.resolve("imaps-nosni.pcap"));
        assertThat(r.protocol()).isEqualTo("IMAPS");
        assertThat(r.category()).isEqualTo("Email");
        assertThat(r.metadata()).doesNotContainKey("tls.sni").containsEntry("tls.cert_subject", "C=US, O=Fathom Test, CN=fathom.test");
        assertThat(r.risks()).contains("missing_sni", "self_signed_certificate");
    }

    @Test
    void quicInitialOfRfc9001(@TempDir Path tmp) throws Exception {
        Path pcap = tmp.resolve("quic-rfc9001.pcap");
        Files.write(pcap, QuicGolden.pcap());
        FlowRecord r = only(pcap);
        assertThat(r.protocol()).isEqualTo("QUIC");
        assertThat(r.l4()).isEqualTo("UDP");
        assertThat(r.metadata()).containsEntry("quic.version", "V-1").containsEntry("tls.sni", "example.com");
    }
}
