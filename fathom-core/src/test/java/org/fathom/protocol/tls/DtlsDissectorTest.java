package org.fathom.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class DtlsDissectorTest {
    /** A DTLS record: type, version, epoch, 48-bit sequence number, length, body. */
    static byte[] record(int type, int version, int epoch, long seq, byte[] body) {
        return new Hellos.W().u8(type).u16(version).u16(epoch).u16((int) (seq >>> 32)).u16((int) (seq >>> 16)).u16((int) seq)
                .vec16(body).get();
    }

    /** A DTLS handshake fragment: type, message length, message_seq, fragment offset and length, data. */
    static byte[] fragment(int type, int msgLen, int msgSeq, int fragOff, byte[] data) {
        return new Hellos.W().u8(type).u24(msgLen).u16(msgSeq).u24(fragOff).u24(data.length).bytes(data).get();
    }

    static byte[] clientHello() {
        return Hellos.clientHelloBody(0xfefd, new int[] {0xc02b, 0xc02f, 0x00ff},
                List.of(Hellos.sni("turn.example.net"), Hellos.alpn("webrtc"), Hellos.groups(0x001d, 0x0017),
                        Hellos.pointFormats(0), Hellos.sigAlgs(0x0403, 0x0804)), true);
    }

    @Test
    void fragmentedClientHelloAndServerFlight() {
        byte[] ch = clientHello();
        int cut = 50;
        // second fragment first: reassembly by offset
        byte[] d1 = record(22, 0xfeff, 0, 1, fragment(1, ch.length, 0, cut, java.util.Arrays.copyOfRange(ch, cut, ch.length)));
        byte[] d2 = record(22, 0xfeff, 0, 0, fragment(1, ch.length, 0, 0, java.util.Arrays.copyOfRange(ch, 0, cut)));
        TestFlow ctx = TestFlow.udp(3478);
        DtlsDissector d = new DtlsDissector();
        assertThat(d.inspect(ctx.packet(true), true, d1, 0, d1.length)).isEqualTo(Dissector.MATCH);
        assertThat(ctx.meta).doesNotContainKey("tls.sni");
        assertThat(d.inspect(ctx.packet(true), true, d2, 0, d2.length)).isEqualTo(Dissector.MATCH);
        assertThat(ctx.meta).containsEntry("tls.sni", "turn.example.net").containsEntry("tls.alpn", List.of("webrtc"))
                .containsEntry("tls.client_version", "DTLSv1.2");
        assertThat((String) ctx.meta.get("tls.ja4")).startsWith("dd2d0305wc_");

        byte[] sh = Hellos.serverHelloBody(0xfefd, 0xc02f, List.of());
        byte[] cert = Hellos.certificateBody(TlsDissectorTest.resource("selfsigned.der"));
        byte[] flight1 = Hellos.concat(record(22, 0xfefd, 0, 0, fragment(2, sh.length, 0, 0, sh)),
                record(22, 0xfefd, 0, 1, fragment(11, cert.length, 1, 0, java.util.Arrays.copyOfRange(cert, 0, 400))));
        byte[] flight2 = record(22, 0xfefd, 0, 2, fragment(11, cert.length, 1, 400, java.util.Arrays.copyOfRange(cert, 400, cert.length)));
        assertThat(d.inspect(ctx.packet(false), false, flight1, 0, flight1.length)).isEqualTo(Dissector.MATCH);
        assertThat(ctx.meta).containsEntry("tls.version", "DTLSv1.2").containsEntry("tls.cipher", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(d.inspect(ctx.packet(false), false, flight2, 0, flight2.length)).isEqualTo(Dissector.DONE);
        assertThat(ctx.meta).containsEntry("tls.cert_subject", "C=US, O=Fathom Test, CN=fathom.test");
        assertThat(ctx.risks).contains(Risk.SELF_SIGNED_CERT);
    }

    @Test
    void joinedInTheMiddleAndAfterStun() {
        byte[] app = record(23, 0xfefd, 1, 7, new byte[64]);
        assertThat(new DtlsDissector().inspect(TestFlow.udp(443).packet(true), true, app, 0, app.length)).isEqualTo(Dissector.MATCH);
        byte[] stun = HexFormat.of().parseHex("000100002112a442000102030405060708090a0b");
        TestFlow ctx = TestFlow.udp(19302);
        DtlsDissector d = new DtlsDissector();
        assertThat(d.inspect(ctx.packet(true), true, stun, 0, stun.length)).isEqualTo(Dissector.NEED_MORE);
        byte[] ch = clientHello();
        byte[] rec = record(22, 0xfeff, 0, 0, fragment(1, ch.length, 0, 0, ch));
        assertThat(d.inspect(ctx.packet(true), true, rec, 0, rec.length)).isEqualTo(Dissector.MATCH);
    }

    @Test
    void serverFirstSwapsRoles() {
        byte[] sh = Hellos.serverHelloBody(0xfefd, 0xc02f, List.of());
        byte[] rec = record(22, 0xfefd, 0, 0, fragment(2, sh.length, 0, 0, sh));
        TestFlow ctx = TestFlow.udp(443);
        new DtlsDissector().inspect(ctx.packet(true), true, rec, 0, rec.length);
        assertThat(ctx.swaps).isEqualTo(1);
        assertThat(ctx.meta).containsEntry("tls.version", "DTLSv1.2");
    }

    @Test
    void notDtls() {
        byte[][] others = {
            HexFormat.of().parseHex("17fefd00010000000000070040aabb"), // length runs past the datagram
            HexFormat.of().parseHex("17030300100000000000000000000000000000000000"), // TLS, not DTLS
            HexFormat.of().parseHex("123401000001000000000000037777770000010001"), // DNS
            "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        };
        for (byte[] b : others) {
            assertThat(new DtlsDissector().inspect(TestFlow.udp(443).packet(true), true, b, 0, b.length)).isEqualTo(Dissector.NO);
        }
    }
}
