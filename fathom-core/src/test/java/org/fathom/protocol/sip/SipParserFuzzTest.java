package org.fathom.protocol.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated SIP: the parser and the framer never throw and always return; what the
 * parser gives for From and To is never a display name or anything else unreadable (no spaces,
 * quotes or angle brackets; outside a SIP user part, which the guard pseudonymises whole, only
 * printable ASCII), and never a SIP user with a password.
 */
class SipParserFuzzTest {
    static final String[] BASE = {
        "INVITE sip:112@b SIP/2.0\r\nv: SIP/2.0/UDP a\r\nf: \"Alice Smith\" <sip:alice:pw@a;user=phone>;tag=1\r\n"
            + "t: Bob <sip:112@b>\r\ni: x\r\nCSeq: 1 INVITE\r\nReason: Q.850;cause=41\r\nc: application/sdp\r\nl: 63\r\n\r\n"
            + "v=0\r\nc=IN IP6 2001:db8::1\r\nm=audio 4000 RTP/AVP 0 8\r\na=rtpmap:8 PCMA/8000\r\n",
        "SIP/2.0 200 OK\r\nFrom: sip:alice@[2001:db8::1]:5060;tag=2\r\nTo: <tel:+4940555>\r\nCall-ID: y\r\nCSeq: 2 BYE\r\n\r\n",
    };

    @Property(tries = 500)
    void randomBytes(@ForAll @Size(max = 600) byte[] b) {
        exercise(b);
    }

    @Property(tries = 1000)
    void mutatedMessages(@ForAll("mutated") byte[] b) {
        exercise(b);
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<Byte> special = Arbitraries.of(List.of((byte) ' ', (byte) '"', (byte) '<', (byte) '>', (byte) ';',
                (byte) ':', (byte) '@', (byte) '\r', (byte) '\n', (byte) '\t', (byte) 0, (byte) 0xE9));
        return Arbitraries.of(BASE).map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).flatMap(base ->
                Arbitraries.integers().between(0, base.length - 1).list().ofMaxSize(6).flatMap(pos ->
                        Arbitraries.oneOf(special, Arbitraries.bytes()).list().ofSize(pos.size()).map(vals -> {
                            byte[] b = base.clone();
                            for (int i = 0; i < pos.size(); i++) {
                                b[pos.get(i)] = vals.get(i);
                            }
                            return b;
                        })))
                .flatMap(b -> Arbitraries.integers().between(0, b.length).map(n -> java.util.Arrays.copyOf(b, n)));
    }

    static void exercise(byte[] b) {
        SipMessage m = SipParser.parse(b, 0, b.length);
        if (m != null) {
            readable(m.from());
            readable(m.to());
            assertThat(m.body().length()).isLessThanOrEqualTo(SipParser.MAX_BODY);
            assertThat(m.isRequest() ? m.method() : String.valueOf(m.status())).isNotNull();
        }
        SipParser.couldStart(b, 0, b.length);
        SipParser.looksLikeSip(b, 0, b.length);
        for (int cut : new int[] {1, 7, b.length / 2}) {
            SipFramer f = new SipFramer(64);
            SipFramer.Handler h = (x, off, len) -> {
                SipMessage p = SipParser.parse(x, off, len);
                if (p != null) {
                    readable(p.from());
                }
                return true;
            };
            int c = Math.min(cut, b.length);
            f.feed(b, 0, c, h);
            f.feed(b, c, b.length - c, h);
            f.gap();
            f.feed(b, 0, b.length, h);
        }
    }

    static void readable(String uri) {
        if (uri == null) {
            return;
        }
        int at = uri.regionMatches(true, 0, "sip", 0, 3) ? uri.indexOf('@') : -1;
        int semi = uri.indexOf(';');
        // what the guard pseudonymises whole: a SIP user (before '@'), a tel number (before ';')
        int whole = at >= 0 ? at : uri.regionMatches(true, 0, "tel:", 0, 4) ? (semi < 0 ? uri.length() : semi) : -1;
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            assertThat(c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '"' && c != '<' && c != '>')
                    .as("character %d of %s", i, uri).isTrue();
            if (i >= whole) {
                assertThat(c > ' ' && c < 0x7F).as("character %d of %s", i, uri).isTrue();
            }
        }
        if (at > 0) {
            String user = uri.substring(uri.indexOf(':') + 1, at);
            assertThat(user).doesNotContain(":").doesNotContain(";").isNotEmpty();
        }
    }
}
