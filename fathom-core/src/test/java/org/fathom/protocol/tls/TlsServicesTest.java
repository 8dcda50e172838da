package org.fathom.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Golden;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Services named by the handshake itself ({@link TlsServices}): the vendors' certificates (made
 * with openssl under the vendors' naming, test resources {@code vendors/*.der}), AnyDesk's ALPN,
 * Tor's link certificates; and the nDPI corpus flows of those services.
 */
class TlsServicesTest {
    private static byte[] der(String name) {
        return TlsDissectorTest.resource("vendors/" + name + ".der");
    }

    private static byte[] client(String sni, String... alpn) {
        List<byte[]> ext = new ArrayList<>();
        if (sni != null) {
            ext.add(Hellos.sni(sni));
        }
        if (alpn.length > 0) {
            ext.add(Hellos.alpn(alpn));
        }
        byte[] body = Hellos.clientHelloBody(0x0303, new int[] {0xc02f, 0x009c}, ext, false);
        return Hellos.record(22, 0x0301, Hellos.handshake(1, body));
    }

    /** The application named after a full TLS 1.2 handshake whose server presents {@code der}. */
    private static String named(String sni, byte[] der) {
        TestFlow f = TestFlow.tcp(443);
        TlsDissectorTest.run(new TlsDissector(), f, List.of(client(sni)), List.of(TlsDissectorTest.serverStream(der, 0xc02f)));
        return f.application;
    }

    @Test
    void vendorsAreNamedByTheirOwnCertificates() {
        assertThat(named(null, der("anydesk"))).isEqualTo("AnyDesk");
        assertThat(named("203.0.113.7", der("fortigate"))).isEqualTo("FortiClient");
        assertThat(named("192.168.1.70", der("sonos"))).isEqualTo("Sonos");
        assertThat(named("www.k3jd7lq2mz.com", der("torlink"))).isEqualTo("Tor");
        assertThat(named(null, der("torlink"))).isEqualTo("Tor");
    }

    @Test
    void lookalikesAreNotNamed() {
        // a site re-signed by a FortiGate doing SSL deep inspection: Fortinet issuer, the site's subject
        assertThat(named("www.example.com", der("inspected"))).isNull();
        // Tor's link certificate, but the client asked for an ordinary name
        assertThat(named("api.example.org", der("torlink"))).isNull();
        assertThat(named("www.example-shop.com", der("torlink"))).isNull();
        // CN-only certificate with random-looking names but a subjectAltName, as real sites have
        assertThat(named("www.examplecdnweb.com", der("plainsan"))).isNull();
        assertThat(named("example.com", TlsDissectorTest.resource("selfsigned.der"))).isNull();
        assertThat(named("example.com", TlsDissectorTest.resource("leaf.der"))).isNull();
    }

    @Test
    void torNamesFollowTorsGenerator() {
        assertThat(TlsServices.randomHost("www.q4cyamnc6mtokjurvdclt.com", 4, 25, ".com")).isTrue();
        assertThat(TlsServices.randomHost("www.t3i3ru.com", 4, 25, ".com")).isTrue();
        assertThat(TlsServices.randomHost("www.fcsyvnlemwxv5p.net", 8, 20, ".net")).isTrue();
        assertThat(TlsServices.randomHost("www.abc.com", 4, 25, ".com")).isFalse();           // too short
        assertThat(TlsServices.randomHost("www.google1.com", 4, 25, ".com")).isFalse();       // 1 is not base32
        assertThat(TlsServices.randomHost("www.exa-mple.com", 4, 25, ".com")).isFalse();
        assertThat(TlsServices.randomHost("www.Example.com", 4, 25, ".com")).isFalse();
        assertThat(TlsServices.randomHost("mail.abcdefgh.com", 4, 25, ".com")).isFalse();
        assertThat(TlsServices.randomHost("www.abcdefghijklmnopqrstu.net", 8, 20, ".net")).isFalse(); // 21 > 20
    }

    @Test
    void anyDeskAlpnNamesTheFlow() {
        TestFlow f = TestFlow.tcp(443);
        new TlsDissector().inspect(f.packet(true), true, client(null, "anydesk/6.2.0/linux"), 0, client(null, "anydesk/6.2.0/linux").length);
        assertThat(f.application).isEqualTo("AnyDesk");
        TestFlow g = TestFlow.tcp(443);
        byte[] h2 = client("example.com", "h2", "anydesk/1.0");
        new TlsDissector().inspect(g.packet(true), true, h2, 0, h2.length);
        assertThat(g.application).isNull();
    }

    /** A client certificate in clear names the vendor when the server's was not seen; nothing of it is recorded. */
    @Test
    void clientCertificateNamesTheVendorOnly() {
        TlsDissector d = new TlsDissector();
        TestFlow f = TestFlow.tcp(7070);
        byte[] ch = client(null);
        assertThat(d.inspect(f.packet(true), true, ch, 0, ch.length)).isEqualTo(Dissector.MATCH);
        byte[] sh = Hellos.record(22, 0x0303, Hellos.handshake(2, Hellos.serverHelloBody(0x0303, 0xc02f, List.of())));
        d.inspect(f.packet(false), false, sh, 0, sh.length);
        byte[] cert = Hellos.record(22, 0x0303, Hellos.handshake(11, Hellos.certificateBody(der("anydesk"))));
        d.inspect(f.packet(true), true, cert, 0, cert.length);
        assertThat(f.application).isEqualTo("AnyDesk");
        assertThat(f.meta).doesNotContainKeys("tls.cert_subject", "tls.cert_issuer", "tls.cert_names");
    }

    @Test
    void everySplitPointOfTheServerStreamNamesTheVendor() {
        byte[] c = client("203.0.113.7");
        byte[] s = TlsDissectorTest.serverStream(der("fortigate"), 0xc02f);
        for (int k = 0; k <= s.length; k++) {
            TestFlow f = TestFlow.tcp(10443);
            List<byte[]> parts = k == 0 || k == s.length ? List.of(s)
                    : List.of(java.util.Arrays.copyOfRange(s, 0, k), java.util.Arrays.copyOfRange(s, k, s.length));
            TlsDissectorTest.run(new TlsDissector(), f, List.of(c), parts);
            assertThat(f.application).as("split at " + k).isEqualTo("FortiClient");
        }
    }

    /** The corpus flows nDPI names by these rules (skipped without the corpus). */
    @ParameterizedTest
    @CsvSource({
        "tls_client_certificate_with_missing_server_one.pcapng, 443, AnyDesk, 1",
        "forticlient.pcap, 10443, FortiClient, 5",
        "sonos.pcapng, 1443, Sonos, 1",
        "tor.pcap, 443, Tor, 7",
    })
    void corpusFlows(String capture, int port, String app, int count) throws Exception {
        Path pcap = Path.of("../../shared/corpus/ndpi/pcap").resolve(capture);
        if (!Files.isRegularFile(pcap)) {
            pcap = Path.of("../../../shared/corpus/ndpi/pcap").resolve(capture);
        }
        Assumptions.assumeTrue(Files.isRegularFile(pcap), "nDPI corpus not present");
        List<FlowRecord> flows = Golden.flows(pcap);
        List<FlowRecord> tls = flows.stream().filter(f -> "TLS".equals(f.protocol()) && f.dstPort() == port && "DPI".equals(f.confidence())).toList();
        assertThat(tls).hasSize(count).allSatisfy(f -> assertThat(f.application()).isEqualTo(app));
    }
}
