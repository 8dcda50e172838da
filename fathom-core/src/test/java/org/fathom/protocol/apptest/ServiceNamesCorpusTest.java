package org.fathom.protocol.apptest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.protocol.Service;
import org.fathom.protocol.ServiceCatalog;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Services named from what the carriers hand over (issue 15, "carriers hand names over") and the
 * catalogs' breadth, on the nDPI corpus captures that hold them: every flow nDPI named by DPI
 * with the label gets it from us too, by the whole pipeline (as {@link BreadthCorpusTest}).
 * Skipped when the corpus is absent.
 */
class ServiceNamesCorpusTest {
    @ParameterizedTest
    @CsvSource({
        "simple-dnscrypt.pcap, DNScrypt",              // TLS SNI -> services-endpoints.rules
        "tls_verylong_certificate.pcap, Cybersec",     // TLS SNI -> services-breadth.rules
        "stun_google_meet.pcapng, GoogleCall",         // DTLS after STUN on a Google relay address
        "threema.pcap, Threema",                       // the address block Threema holds
        "tailscale.pcap, Tailscale",                   // its registered port, not its server's cloud
        "nest_log_sink.pcap, NestLogSink",             // known by its port: the cloud address does not rename it
        "spotify_tcp.pcap, Spotify",                   // the access-point handshake (SpotifyApDissector)
        "viber.pcap, Viber",                           // names, and the registered ports for the rest
    })
    void agreesWithNdpi(String capture, String label) throws Exception {
        new BreadthCorpusTest().agreesWithNdpi(capture, label);
    }

    /**
     * Every carrier hands the name it learned to the catalog: on captures full of named flows
     * (TLS and QUIC SNI, HTTP Host, DNS queries), each flow whose name the bundled catalog knows
     * carries that service as its application (or its call variant on a media carrier), unless a
     * dissector named the flow itself.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1kxun.pcap", "android.pcap", "iphone.pcap", "instagram.pcap", "quic-27.pcap", "reddit.pcap",
        "simple-dnscrypt.pcap", "anyconnect-vpn.pcap", "weibo.pcap", "alexa-app.pcapng"})
    void everyNamedFlowGetsItsService(String capture) throws Exception {
        Path pcap = CorpusAgreementTest.CORPUS.resolve("pcap").resolve(capture);
        Assumptions.assumeTrue(Files.isRegularFile(pcap), "nDPI corpus not present");
        ServiceCatalog catalog = ServiceCatalog.bundled();
        List<String> wrong = new ArrayList<>();
        int named = 0;
        for (FlowRecord r : Golden.flows(pcap)) {
            Object name = null;
            for (String k : new String[] {"tls.sni", "http.host", "dns.query"}) {
                if (name == null && r.metadata() != null) {
                    name = r.metadata().get(k);
                }
            }
            Service s = name instanceof String h ? catalog.lookup(h) : null;
            if (s == null) {
                continue;
            }
            named++;
            if (List.of("STUN", "DTLS", "SRTP", "RTP", "RTCP").contains(r.protocol())) {
                continue; // media carriers name the call variant (WhatsApp -> WhatsAppCall)
            }
            if (!s.name().equals(r.application())) {
                wrong.add(r.protocol() + "." + r.application() + " for " + name + " (catalog: " + s.name() + ")");
            }
        }
        assertThat(named).as("flows with a known name").isPositive();
        assertThat(wrong).isEmpty();
    }
}
