package org.fathom.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class TlsDissectorTest {
    static byte[] resource(String name) {
        try (InputStream in = TlsDissectorTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Client bytes: the JA4 example hello, split over two handshake records. */
    static byte[] clientStream() {
        byte[] hs = Hellos.handshake(1, Hellos.ja4ExampleClientHello());
        int cut = 100;
        return Hellos.concat(Hellos.record(22, 0x0301, java.util.Arrays.copyOfRange(hs, 0, cut)),
                Hellos.record(22, 0x0301, java.util.Arrays.copyOfRange(hs, cut, hs.length)));
    }

    /** Server bytes: ServerHello, Certificate and ServerHelloDone in one record, as TLS 1.2 servers send them. */
    static byte[] serverStream(byte[] der, int cipher) {
        byte[] sh = Hellos.handshake(2, Hellos.serverHelloBody(0x0303, cipher, List.of(Hellos.ext(0xff01, new byte[] {0}))));
        byte[] cert = Hellos.handshake(11, Hellos.certificateBody(der));
        byte[] done = Hellos.handshake(14, new byte[0]);
        return Hellos.concat(Hellos.record(22, 0x0303, Hellos.concat(sh, cert, done)),
                Hellos.record(20, 0x0303, new byte[] {1}));
    }

    record Outcome(Map<String, Object> meta, java.util.Set<Risk> risks, String host, int last) { }

    /** Feeds each direction in the given chunks (client first, then server). */
    static Outcome run(Dissector d, TestFlow ctx, List<byte[]> client, List<byte[]> server) {
        int r = Dissector.NEED_MORE;
        for (byte[] c : client) {
            r = d.inspect(ctx.packet(true), true, c, 0, c.length);
            if (r == Dissector.NO || r == Dissector.DONE) {
                return new Outcome(ctx.meta, ctx.risks, ctx.host, r);
            }
        }
        for (byte[] s : server) {
            r = d.inspect(ctx.packet(false), false, s, 0, s.length);
            if (r == Dissector.NO || r == Dissector.DONE) {
                break;
            }
        }
        return new Outcome(ctx.meta, ctx.risks, ctx.host, r);
    }

    static List<byte[]> split(byte[] b, int k) {
        List<byte[]> l = new ArrayList<>();
        if (k > 0) {
            l.add(java.util.Arrays.copyOfRange(b, 0, k));
        }
        if (k < b.length) {
            l.add(java.util.Arrays.copyOfRange(b, k, b.length));
        }
        return l;
    }

    static List<byte[]> bytes(byte[] b) {
        List<byte[]> l = new ArrayList<>();
        for (byte x : b) {
            l.add(new byte[] {x});
        }
        return l;
    }

    @Test
    void fullTls12HandshakeGivesEverything() {
        byte[] der = resource("leaf.der");
        Outcome o = run(new TlsDissector(), TestFlow.tcp(443), List.of(clientStream()), List.of(serverStream(der, 0xc02f)));
        assertThat(o.last()).isEqualTo(Dissector.DONE);
        assertThat(o.meta()).containsEntry("tls.sni", "example.com")
                .containsEntry("tls.alpn", List.of("h2", "http/1.1"))
                .containsEntry("tls.client_version", "TLSv1.3")
                .containsEntry("tls.ja4", "t13d1516h2_8daaf6152771_e5627efa2ab1")
                .containsEntry("tls.version", "TLSv1.2")
                .containsEntry("tls.cipher", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .containsEntry("tls.cert_subject", "C=DE, ST=Berlin, L=Berlin, O=Leaf GmbH, OU=Ops, CN=leaf.example")
                .containsEntry("tls.cert_issuer", "O=Fathom CA, CN=Fathom Test CA")
                .containsEntry("tls.cert_names", List.of("leaf.example", "*.leaf.example"))
                .containsKeys("tls.ja3", "tls.ja3s", "tls.cert_not_before", "tls.cert_not_after");
        assertThat((String) o.meta().get("tls.cert_not_after")).matches("20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(o.host()).isEqualTo("example.com");
        assertThat(o.risks()).isEmpty();
    }

    @Test
    void everySplitPointGivesTheSameResult() {
        byte[] der = resource("selfsigned.der");
        byte[] c = clientStream();
        byte[] s = serverStream(der, 0x000a);
        Outcome whole = run(new TlsDissector(), TestFlow.tcp(443), List.of(c), List.of(s));
        assertThat(whole.meta()).containsKeys("tls.sni", "tls.ja4", "tls.version", "tls.cert_subject");
        assertThat(whole.risks()).contains(Risk.SELF_SIGNED_CERT, Risk.WEAK_CIPHER);
        for (int k = 0; k <= c.length; k++) {
            Outcome o = run(new TlsDissector(), TestFlow.tcp(443), split(c, k), List.of(s));
            assertThat(o.meta()).as("client split at %d", k).isEqualTo(whole.meta());
            assertThat(o.risks()).isEqualTo(whole.risks());
        }
        for (int k = 0; k <= s.length; k++) {
            Outcome o = run(new TlsDissector(), TestFlow.tcp(443), List.of(c), split(s, k));
            assertThat(o.meta()).as("server split at %d", k).isEqualTo(whole.meta());
            assertThat(o.risks()).isEqualTo(whole.risks());
        }
        Outcome one = run(new TlsDissector(), TestFlow.tcp(443), bytes(c), bytes(s));
        assertThat(one.meta()).isEqualTo(whole.meta());
        assertThat(one.risks()).isEqualTo(whole.risks());
    }

    @Test
    void tls13StopsAfterServerHello() {
        byte[] sh = Hellos.handshake(2, Hellos.serverHelloBody(0x0303, 0x1301, List.of(Hellos.ext(0x2b, new byte[] {3, 4}))));
        TestFlow ctx = TestFlow.tcp(443);
        Outcome o = run(new TlsDissector(), ctx, List.of(clientStream()), List.of(Hellos.record(22, 0x0303, sh)));
        assertThat(o.last()).isEqualTo(Dissector.DONE);
        assertThat(o.meta()).containsEntry("tls.version", "TLSv1.3").containsEntry("tls.cipher", "TLS_AES_128_GCM_SHA256");
    }

    @Test
    void obsoleteVersionMissingAndNumericSni() {
        byte[] ch = Hellos.clientHelloBody(0x0301, new int[] {0x0005}, List.of(Hellos.sni("10.1.2.3")), false);
        byte[] sh = Hellos.serverHelloBody(0x0301, 0x0005, List.of());
        TestFlow ctx = TestFlow.tcp(443);
        Outcome o = run(new TlsDissector(), ctx, List.of(Hellos.record(22, 0x0301, Hellos.handshake(1, ch))),
                List.of(Hellos.record(22, 0x0301, Hellos.concat(Hellos.handshake(2, sh), Hellos.handshake(14, new byte[0])))));
        assertThat(o.risks()).contains(Risk.OBSOLETE_TLS, Risk.NUMERIC_HOST, Risk.WEAK_CIPHER);
        assertThat(o.meta()).containsEntry("tls.version", "TLSv1").containsEntry("tls.cipher", "TLS_RSA_WITH_RC4_128_SHA");

        byte[] noSni = Hellos.clientHelloBody(0x0303, new int[] {0x1301}, List.of(Hellos.ext(0xfe0d, new byte[4])), false);
        TestFlow c2 = TestFlow.tcp(443);
        run(new TlsDissector(), c2, List.of(Hellos.record(22, 0x0301, Hellos.handshake(1, noSni))), List.of());
        assertThat(c2.risks).contains(Risk.MISSING_SNI);
        assertThat(c2.meta).containsEntry("tls.ech", Boolean.TRUE);
    }

    @Test
    void expiredCertificateAndHostFromCertificate() {
        byte[] noSni = Hellos.clientHelloBody(0x0303, new int[] {0xc02f}, List.of(), false);
        TestFlow ctx = TestFlow.tcp(443);
        ctx.timestampNanos = 4_000_000_000L * 1_000_000_000L; // year 2096
        run(new TlsDissector(), ctx, List.of(Hellos.record(22, 0x0303, Hellos.handshake(1, noSni))),
                List.of(serverStream(resource("leaf.der"), 0xc02f)));
        assertThat(ctx.risks).contains(Risk.EXPIRED_CERT, Risk.MISSING_SNI).doesNotContain(Risk.SELF_SIGNED_CERT);
        assertThat(ctx.host).isEqualTo("leaf.example");
    }

    @Test
    void implicitTlsPortsNameTheService() {
        TlsDissector[] implicit = TlsDissector.implicitServices();
        assertThat(implicit[0].descriptor().name()).isEqualTo("IMAPS");
        byte[] c = clientStream();
        assertThat(implicit[0].inspect(TestFlow.tcp(993).packet(true), true, c, 0, c.length)).isEqualTo(Dissector.MATCH);
        assertThat(implicit[0].inspect(TestFlow.tcp(443).packet(true), true, c, 0, c.length)).isEqualTo(Dissector.NO);
        assertThat(new TlsDissector().inspect(TestFlow.tcp(993).packet(true), true, c, 0, c.length)).isEqualTo(Dissector.NO);
        assertThat(implicit[2].inspect(TestFlow.tcp(587).packet(true), true, c, 0, c.length)).isEqualTo(Dissector.MATCH);
        TestFlow dot = TestFlow.tcp(853);
        new TlsDissector().inspect(dot.packet(true), true, c, 0, c.length);
        assertThat(dot.application).isEqualTo("DoH_DoT");
    }

    @Test
    void sslv2ClientHello() {
        // SSL 2.0 CLIENT-HELLO: length header, type 1, version 3.1, 2 cipher specs, no session id, 16-byte challenge
        byte[] body = new Hellos.W().u8(1).u16(0x0301).u16(6).u16(0).u16(16).bytes(new byte[] {0, 0, 0x2f, 0, 0, 0x35}).zeros(16).get();
        byte[] rec = Hellos.concat(new byte[] {(byte) (0x80 | (body.length >>> 8)), (byte) body.length}, body);
        TestFlow ctx = TestFlow.tcp(443);
        assertThat(new TlsDissector().inspect(ctx.packet(true), true, rec, 0, rec.length)).isEqualTo(Dissector.MATCH);
        assertThat(ctx.meta).containsEntry("tls.client_version", "TLSv1");
        byte[] v2server = {(byte) 0x80, 0x10, 4, 0, 1, 0, 2};
        assertThat(new TlsDissector().inspect(ctx.packet(false), false, v2server, 0, v2server.length)).isEqualTo(Dissector.DONE);
        assertThat(ctx.risks).contains(Risk.OBSOLETE_TLS);
    }

    @Test
    void joinedAfterTheHandshake() {
        byte[] app = Hellos.record(23, 0x0303, new byte[40]);
        assertThat(new TlsDissector().inspect(TestFlow.tcp(5223).packet(true), true, app, 0, app.length)).isEqualTo(Dissector.DONE);
        byte[] cut = java.util.Arrays.copyOf(app, 30);
        TestFlow ctx = TestFlow.tcp(5223);
        assertThat(new TlsDissector().inspect(ctx.packet(true), true, cut, 0, cut.length)).isEqualTo(Dissector.NEED_MORE);
    }

    @Test
    void serverHelloSeenFirstSwapsTheRoles() {
        byte[] sh = Hellos.record(22, 0x0303, Hellos.handshake(2, Hellos.serverHelloBody(0x0303, 0xc02f, List.of())));
        TestFlow ctx = TestFlow.tcp(443);
        assertThat(new TlsDissector().inspect(ctx.packet(true), true, sh, 0, sh.length)).isEqualTo(Dissector.MATCH);
        assertThat(ctx.swaps).isEqualTo(1);
        assertThat(ctx.meta).containsEntry("tls.version", "TLSv1.2");
    }

    @Test
    void otherProtocolsAreRejectedAtOnce() {
        String[] others = {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "SSH-2.0-OpenSSH_9.0\r\n", "220 smtp ready\r\n", "\u0016\u0001\u0000"};
        for (String s : others) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(new TlsDissector().inspect(TestFlow.tcp(443).packet(true), true, b, 0, b.length)).as(s).isEqualTo(Dissector.NO);
        }
        // a handshake record whose message is not a hello
        byte[] fin = Hellos.record(22, 0x0303, Hellos.handshake(20, new byte[40]));
        assertThat(new TlsDissector().inspect(TestFlow.tcp(443).packet(true), true, fin, 0, fin.length)).isEqualTo(Dissector.NO);
        // DNS query, binary junk
        byte[] dns = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 0, 0, 1, 0, 1};
        assertThat(new TlsDissector().inspect(TestFlow.tcp(443).packet(true), true, dns, 0, dns.length)).isEqualTo(Dissector.NO);
    }

    @Test
    void recordStreamCapsBuffering() {
        TlsRecordStream s = new TlsRecordStream();
        byte[] rec = Hellos.concat(new byte[] {22, 3, 3, 0x40, 0}, new byte[] {11, 0x02, 0, 0}); // a 128 KiB message announced
        int st = s.feed(rec, 0, rec.length, (t, b, o, l) -> true);
        assertThat(st).isEqualTo(TlsRecordStream.OVERFLOW);
    }

    @Test
    void certificateParser() {
        byte[] der = resource("selfsigned.der");
        Certificate c = Certificate.parse(der, 0, der.length);
        assertThat(c.subject).isEqualTo("C=US, O=Fathom Test, CN=fathom.test");
        assertThat(c.subjectCn).isEqualTo("fathom.test");
        assertThat(c.selfSigned).isTrue();
        assertThat(c.dnsNames).containsExactly("fathom.test", "www.fathom.test");
        assertThat(c.notAfter - c.notBefore).isEqualTo(3650L * 86400);
        for (int n = 0; n < der.length; n += 7) {
            Certificate.parse(der, 0, n); // truncated: no exception
        }
    }
}
