package org.fathom.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.sip.SipDissectorProbe;

class HttpHeadProperties {
    @Property(tries = 500)
    void parseNeverThrowsAndKeepsFieldsBounded(@ForAll @Size(max = 2000) byte[] junk) {
        HttpHead h = HttpHead.parse(junk, 0, junk.length);
        if (h != null) {
            assertThat(h.fieldCount()).isLessThanOrEqualTo(HttpHead.MAX_FIELDS);
        }
        HttpHead.findEnd(junk, 0, junk.length);
    }

    /** The shortcut for common field names gives exactly what the general way gives. */
    @Property(tries = 2000)
    void fieldNamesAreWhatStripAndLowerCaseMake(@ForAll("names") String name) {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(HttpHead.fieldName(b, 0, b.length))
                .isEqualTo(HttpHead.text(b, 0, b.length).strip().toLowerCase(java.util.Locale.ROOT));
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> common = Arbitraries.of("Host", "host", "HOST", "User-Agent", "user-agent", "Content-Length",
                "content-TYPE", "Set-Cookie", "Sec-WebSocket-Key", "X-Forwarded-For", "Te", "DNT", "hosT", "Hast", "Hos",
                "Hostx", "Content_Length", "Cont\u00C9nt-Length", "ho\u00DFt", "Accept");
        Arbitrary<String> space = Arbitraries.of("", " ", "\t", "  ", "\u000B", "\u001F", "\u00A0", "\r");
        Arbitrary<String> random = Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMaxLength(30);
        return Arbitraries.oneOf(net.jqwik.api.Combinators.combine(space, common, space).as((a, n, z) -> a + n + z), random);
    }

    @Property(tries = 300)
    void textHeadsParseWithFoldingAndManyFields(@ForAll("heads") String head) {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        int end = HttpHead.findEnd(b, 0, b.length);
        HttpHead h = HttpHead.parse(b, 0, end < 0 ? b.length : end);
        if (h != null) {
            assertThat(h.startLine()).doesNotContain("\n");
        }
    }

    @Property(tries = 300)
    void sipStreamsNeverThrow(@ForAll("heads") String head, @ForAll @Size(max = 64) byte[] tail) {
        SipDissectorProbe.feedBothWays(("INVITE sip:a@b SIP/2.0\r\n" + head).getBytes(StandardCharsets.ISO_8859_1), tail);
    }

    @Provide
    Arbitrary<String> heads() {
        Arbitrary<String> line = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ-: \t\r\n0123456789;<>@").ofMaxLength(40),
                Arbitraries.of("Content-Length: 5\r\n", "l: 99999999999\r\n", " folded\r\n", "\r\n", "Content-Type: application/sdp\r\n",
                        "Host: x\r\n", "Transfer-Encoding: chunked\r\n", "\r\n\r\nv=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 9 RTP/AVP 0\r\n"));
        return line.list().ofMaxSize(30).map(l -> String.join("", l));
    }
}
