package org.fathom.protocol.quic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class QuicDissectorTest {
    @Test
    void rfc9001ClientInitialIsProtectedAsTheRfcSays() {
        byte[] pkt = QuicPackets.rfcClientInitial(QuicVersion.V1);
        assertThat(pkt).hasSize(1200);
        String hex = HexFormat.of().formatHex(pkt);
        // RFC 9001 A.2: sample d1b1c98dd7689fb8ec11d242b123dc9b, mask 437b9aec36, protected header
        assertThat(hex).startsWith("c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11d242b123dc9b");
        assertThat(hex).startsWith("c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11d242b123dc9b"
                + "d8bab936b47d92ec356c0bab7df5976d27cd449f63300099f3991c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df621230c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5457afd84d05dfffdb20392844ae81215468");
        assertThat(hex).endsWith("e221af44860018ab0856972e194cd934");
    }

    @Test
    void rfc9001ClientInitialGivesTheClientHello() {
        byte[] pkt = QuicPackets.rfcClientInitial(QuicVersion.V1);
        TestFlow ctx = TestFlow.udp(443);
        int r = new QuicDissector().inspect(ctx.packet(true), true, pkt, 0, pkt.length);
        assertThat(r).isEqualTo(Dissector.MATCH);
        assertThat(ctx.meta).containsEntry("quic.version", "V-1")
                .containsEntry("tls.sni", "example.com")
                .containsEntry("tls.alpn", List.of("alpn"))
                .containsEntry("tls.client_version", "TLSv1.3");
        assertThat((String) ctx.meta.get("tls.ja4")).startsWith("q13d0211an_");
        assertThat(ctx.host).isEqualTo("example.com");
        assertThat(pkt).isEqualTo(QuicPackets.rfcClientInitial(QuicVersion.V1)); // the packet was not changed
    }

    @Test
    void rfc9369V2ClientInitial() {
        byte[] pkt = QuicPackets.rfcClientInitial(QuicVersion.V2);
        String hex = HexFormat.of().formatHex(pkt);
        assertThat(hex).startsWith("d76b3343cf088394c8f03e5157080000449e");
        TestFlow ctx = TestFlow.udp(8443);
        assertThat(new QuicDissector().inspect(ctx.packet(true), true, pkt, 0, pkt.length)).isEqualTo(Dissector.MATCH);
        assertThat(ctx.meta).containsEntry("quic.version", "V-2").containsEntry("tls.sni", "example.com");
    }

    @Test
    void cryptoFramesOverTwoPacketsOutOfOrder() {
        byte[] frame = HexFormat.of().parseHex(QuicPackets.RFC9001_CRYPTO_FRAME);
        byte[] hello = java.util.Arrays.copyOfRange(frame, 4, frame.length); // CRYPTO header 06 00 40f1
        int cut = 100;
        byte[] second = cryptoFrame(cut, java.util.Arrays.copyOfRange(hello, cut, hello.length));
        byte[] first = cryptoFrame(0, java.util.Arrays.copyOfRange(hello, 0, cut));
        byte[] dcid = HexFormat.of().parseHex("0102030405060708");
        byte[] p1 = QuicPackets.protect(QuicVersion.V1, dcid, new byte[0], 0, 1, pad(second));
        byte[] p2 = QuicPackets.protect(QuicVersion.V1, dcid, new byte[0], 1, 2, pad(first));
        TestFlow ctx = TestFlow.udp(4433);
        QuicDissector d = new QuicDissector();
        assertThat(d.inspect(ctx.packet(true), true, p1, 0, p1.length)).isEqualTo(Dissector.MATCH);
        assertThat(ctx.meta).doesNotContainKey("tls.sni");
        d.inspect(ctx.packet(true), true, p2, 0, p2.length);
        assertThat(ctx.meta).containsEntry("tls.sni", "example.com");
    }

    static byte[] cryptoFrame(int offset, byte[] data) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.write(0x06);
        o.write(0x40 | (offset >>> 8));
        o.write(offset);
        o.write(0x40 | (data.length >>> 8));
        o.write(data.length);
        o.writeBytes(data);
        return o.toByteArray();
    }

    static byte[] pad(byte[] frames) {
        byte[] p = new byte[1150];
        byte[] ping = {0x01};
        System.arraycopy(ping, 0, p, 0, 1);
        System.arraycopy(frames, 0, p, 1, frames.length);
        return p;
    }

    @Test
    void reservedVersionAndVersionNegotiation() {
        byte[] pkt = QuicPackets.rfcClientInitial(QuicVersion.V1);
        pkt[1] = 0x1a;
        pkt[2] = 0x2a;
        pkt[3] = 0x3a;
        pkt[4] = 0x4a;
        TestFlow ctx = TestFlow.udp(443);
        QuicDissector d = new QuicDissector();
        assertThat(d.inspect(ctx.packet(true), true, pkt, 0, pkt.length)).isEqualTo(Dissector.MATCH);
        assertThat(ctx.meta).containsEntry("quic.version", "Ver-Negotiation");
        byte[] vn = HexFormat.of().parseHex("80000000000800010203040506070000000001ff00001d");
        assertThat(d.inspect(ctx.packet(false), false, vn, 0, vn.length)).isNotEqualTo(Dissector.NO);
        // a Version Negotiation packet alone, listing known versions
        TestFlow c2 = TestFlow.udp(443);
        assertThat(new QuicDissector().inspect(c2.packet(true), true, vn, 0, vn.length)).isEqualTo(Dissector.MATCH);
        assertThat(c2.swaps).isEqualTo(1);
    }

    @Test
    void gquicChlo() {
        // Q043 public header: flags 0x0d, 8-byte CID, "Q043", 1-byte packet number, 12-byte hash, STREAM frame with a CHLO
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.writeBytes(new byte[] {0x0d, 1, 2, 3, 4, 5, 6, 7, 8, 'Q', '0', '4', '3', 1});
        o.writeBytes(new byte[12]);
        o.writeBytes(new byte[] {(byte) 0xa0, 1, 0, 0});
        byte[] sni = "www.example.org".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] ua = "Chrome/1.0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        o.writeBytes(new byte[] {'C', 'H', 'L', 'O', 2, 0, 0, 0});
        o.writeBytes(new byte[] {'S', 'N', 'I', 0, (byte) sni.length, 0, 0, 0});
        o.writeBytes(new byte[] {'U', 'A', 'I', 'D', (byte) (sni.length + ua.length), 0, 0, 0});
        o.writeBytes(sni);
        o.writeBytes(ua);
        o.writeBytes(new byte[800]);
        byte[] pkt = o.toByteArray();
        TestFlow ctx = TestFlow.udp(443);
        assertThat(new QuicDissector().inspect(ctx.packet(true), true, pkt, 0, pkt.length)).isEqualTo(Dissector.DONE);
        assertThat(ctx.meta).containsEntry("quic.version", "Q043").containsEntry("tls.sni", "www.example.org")
                .containsEntry("quic.user_agent", "Chrome/1.0");
    }

    @Test
    void otherUdpProtocolsAreRejected() {
        byte[][] others = {
            HexFormat.of().parseHex("123401000001000000000000037777770000010001"), // DNS
            HexFormat.of().parseHex("80e1000100000001deadbeef0000000000000000"), // RTP
            HexFormat.of().parseHex("000100002112a442000102030405060708090a0b"), // STUN
            HexFormat.of().parseHex("16fefd000000000000000000100100000400000000000004fefd0000"), // DTLS
            HexFormat.of().parseHex("c0000000010899"), // truncated Initial
        };
        for (byte[] b : others) {
            assertThat(new QuicDissector().inspect(TestFlow.udp(443).packet(true), true, b, 0, b.length)).isEqualTo(Dissector.NO);
        }
        // a v1 long header whose lengths run past the datagram
        byte[] pkt = QuicPackets.rfcClientInitial(QuicVersion.V1);
        byte[] cut = java.util.Arrays.copyOf(pkt, 600);
        assertThat(new QuicDissector().inspect(TestFlow.udp(443).packet(true), true, cut, 0, cut.length)).isEqualTo(Dissector.NO);
    }

    @Test
    void damagedCiphertextStillLooksLikeQuicButTellsNothing() {
        byte[] pkt = QuicPackets.rfcClientInitial(QuicVersion.V1);
        pkt[500] ^= 1;
        TestFlow ctx = TestFlow.udp(443);
        assertThat(new QuicDissector().inspect(ctx.packet(true), true, pkt, 0, pkt.length)).isEqualTo(Dissector.MATCH);
        assertThat(ctx.meta).containsOnlyKeys("quic.version");
        assertThat(ctx.risks).doesNotContain(Risk.MALFORMED_PACKET);
    }
}
