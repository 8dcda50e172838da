package org.fathom.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.sip.SipMessage;
import org.fathom.protocol.sip.SipParser;

/** The SIP and SDP parsers and SIP over TCP never throw, whatever they are fed. */
class SipSdpFuzzTest {
    static final String INVITE = "INVITE sip:112@b SIP/2.0\r\nv: SIP/2.0/UDP a\r\nf: <sip:alice@a>;tag=1\r\n"
            + "t: <sip:112@b>\r\ni: x\r\nCSeq: 1 INVITE\r\nReason: Q.850;cause=41\r\nc: application/sdp\r\nl: 63\r\n\r\n"
            + "v=0\r\nc=IN IP6 2001:db8::1\r\nm=audio 4000 RTP/AVP 0 8\r\na=rtpmap:8 PCMA/8000\r\n";

    @Property(tries = 300)
    void randomBytes(@ForAll @Size(max = 600) byte[] b) {
        exercise(b);
    }

    @Property(tries = 300)
    void mutatedMessages(@ForAll("mutated") byte[] b) {
        exercise(b);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        byte[] base = INVITE.getBytes(StandardCharsets.ISO_8859_1);
        return Arbitraries.integers().between(0, base.length - 1).list().ofMaxSize(8)
                .flatMap(pos -> Arbitraries.bytes().list().ofSize(pos.size()).map(vals -> {
                    byte[] b = base.clone();
                    for (int i = 0; i < pos.size(); i++) {
                        b[pos.get(i)] = vals.get(i);
                    }
                    return b;
                }))
                .flatMap(b -> Arbitraries.integers().between(0, b.length).map(n -> java.util.Arrays.copyOf(b, n)));
    }

    @Property(tries = 300)
    void randomSdp(@ForAll("sdpLines") List<String> lines) {
        List<Sdp.Media> l = Sdp.parse(String.join("\r\n", lines));
        assertThat(l.size()).isLessThanOrEqualTo(8);
        for (Sdp.Media m : l) {
            assertThat(m.port()).isBetween(1, 65535);
            m.firstCodec();
        }
    }

    @Provide
    Arbitrary<List<String>> sdpLines() {
        Arbitrary<String> junk = Arbitraries.strings().withChars("cma=IN P46:.0123456789/abf RTPAV\t").ofMaxLength(40);
        Arbitrary<String> known = Arbitraries.of("c=IN IP4 10.0.0.1", "c=IN IP6 ::1", "c=IN IP6 1:2:3:4:5:6:7:8",
                "c=IN IP6 ::ffff:1.2.3.4", "c=IN IP4 999.1.1.1", "c=IN IP6 1::2::3", "m=audio 0 RTP/AVP 0",
                "m=audio 70000 RTP/AVP 8", "m=audio 4000/2 RTP/AVP 8 101", "a=rtpmap:101 telephone-event/8000",
                "a=rtpmap:8 PCMA/8000", "a=rtpmap:", "m=video 5000 RTP/AVP 96", "m=");
        return Arbitraries.oneOf(junk, known, junk.map(s -> "c=" + s), junk.map(s -> "m=" + s)).list().ofMaxSize(20);
    }

    static void exercise(byte[] b) {
        SipMessage m = SipParser.parse(b, 0, b.length);
        if (m != null && m.hasDialogKeys()) {
            Sdp.parse(m.body());
            assertThat(m.callId()).isNotEmpty();
        }
        SipTcpStream s = new SipTcpStream();
        int half = b.length / 2;
        s.segment(0, b, 0, half, SipSdpFuzzTest::read);
        s.segment(half, b, half, b.length - half, SipSdpFuzzTest::read);
        s.segment(half - 3, b, 0, b.length, SipSdpFuzzTest::read);
        s.segment(b.length + 7, b, 0, b.length, SipSdpFuzzTest::read);
    }

    private static boolean read(byte[] b, int off, int len) {
        SipMessage m = SipParser.parse(b, off, len);
        if (m != null) {
            Sdp.parse(m.body());
        }
        return true;
    }
}
