package org.fathom.protocol.apptest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
