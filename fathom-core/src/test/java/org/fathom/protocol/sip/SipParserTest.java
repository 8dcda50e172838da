package org.fathom.protocol.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one SIP parser: start lines, fields, folding, and what it lets out of From and To. */
class SipParserTest {
    static SipMessage parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return SipParser.parse(b, 0, b.length);
    }

    static final String INVITE = "INVITE sip:bob@b.example SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n"
            + "From: \"Alice Smith\" <sip:alice@a.example>;tag=1\r\nTo: Bob <sip:bob@b.example>\r\nCall-ID: c1@a\r\n"
            + "CSeq: 1 invite\r\nUser-Agent: phone/1\r\nContent-Type: application/sdp\r\nContent-Length: 10\r\n\r\n"
            + "v=0\r\ns=-\r\nTRAILING";

    @Test
    void aRequestWithItsFields() {
        SipMessage m = parse(INVITE);
        assertThat(m.isRequest()).isTrue();
        assertThat(m.method()).isEqualTo("INVITE");
        assertThat(m.requestUri()).isEqualTo("sip:bob@b.example");
        assertThat(m.from()).isEqualTo("sip:alice@a.example");
        assertThat(m.fromTag()).isEqualTo("1");
        assertThat(m.to()).isEqualTo("sip:bob@b.example");
        assertThat(m.toTag()).isNull();
        assertThat(m.callId()).isEqualTo("c1@a");
        assertThat(m.cseq()).isEqualTo(1);
        assertThat(m.cseqMethod()).isEqualTo("INVITE");
        assertThat(m.userAgent()).isEqualTo("phone/1");
        assertThat(m.contentType()).isEqualTo("application/sdp");
        assertThat(m.body()).isEqualTo("v=0\r\ns=-\r\n"); // cut to Content-Length
        assertThat(m.hasDialogKeys()).isTrue();
        assertThat(m.malformed()).isFalse();
    }

    @Test
    void compactFormsFoldedLinesBareLineFeedsAndAReason() {
        SipMessage m = parse("BYE sips:bob@b SIP/2.0\ni: x\nf: <sip:a@a>;tag=9\nt: <tel:+4940555>\nCSeq: 7\n BYE\n"
                + "Reason: SIP;cause=200\nReason: Q.850\n ;cause=41\nServer: s\nl: 0\n\n");
        assertThat(m.callId()).isEqualTo("x");
        assertThat(m.cseq()).isEqualTo(7);
        assertThat(m.cseqMethod()).isEqualTo("BYE");
        assertThat(m.to()).isEqualTo("tel:+4940555");
        assertThat(m.q850Cause()).isEqualTo(41);
        assertThat(m.server()).isEqualTo("s");
        assertThat(m.body()).isEmpty();
    }

    @Test
    void statusLines() {
        assertThat(parse("SIP/2.0 180 Ringing\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n").status()).isEqualTo(180);
        assertThat(parse("SIP/2.0 200\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n").status()).isEqualTo(200);
        assertThat(parse("SIP/2.0 2000 OK\r\nCall-ID: x\r\n\r\n")).isNull();
        assertThat(parse("SIP/2.0 099 Low\r\nCall-ID: x\r\n\r\n")).isNull();
        assertThat(parse("SIP/2.0 20x OK\r\n\r\n")).isNull();
        assertThat(parse("SIP/2.0  200 OK\r\n\r\n")).isNull();
    }

    @Test
    void requestLines() {
        assertThat(parse("OPTIONS sip:x SIP/2.0 \r\n\r\n")).isNotNull(); // trailing spaces tolerated
        assertThat(parse("OPTIONS urn:service:sos SIP/2.0\r\n\r\n")).isNotNull();
        assertThat(parse("OPTIONS SIP:x SIP/2.0\r\n\r\n")).isNotNull();
        assertThat(parse("OPTIONS sip:x SIP/2.0 x\r\n\r\n")).isNull();
        assertThat(parse("OPTIONS sip:x SIP/2.1\r\n\r\n")).isNull();
        assertThat(parse("OPTIONS  sip:x SIP/2.0\r\n\r\n")).isNull();
        assertThat(parse("OPTIONS rtsp://x/y RTSP/1.0\r\nCSeq: 1\r\n\r\n")).isNull();
        assertThat(parse("OPTIONS http://x SIP/2.0\r\n\r\n")).isNull();
        assertThat(parse("FETCH sip:x SIP/2.0\r\n\r\n")).isNull();
        assertThat(parse("invite sip:x SIP/2.0\r\n\r\n")).isNull();
        assertThat(parse("\r\n\r\nACK sip:x SIP/2.0\r\nCall-ID: y\r\nCSeq: 2 ACK\r\n\r\n").method()).isEqualTo("ACK");
    }

    @Test
    void aFieldLineWithoutANameIsMarkedAndTheFirstValueWins() {
        SipMessage m = parse("ACK sip:x SIP/2.0\r\nCall-ID: 1\r\ncall-id: 2\r\nc: text/plain\r\nContent-Type: application/sdp\r\n"
                + "no colon here\r\nCSeq: 1 ACK\r\n\r\n");
        assertThat(m.malformed()).isTrue();
        assertThat(m.callId()).isEqualTo("1");
        assertThat(m.contentType()).isEqualTo("text/plain");
        assertThat(parse("ACK sip:x SIP/2.0\r\n: empty\r\n\r\n").malformed()).isTrue();
        assertThat(parse("ACK sip:x SIP/2.0\r\nCall-ID: y\r\n\r\n").hasDialogKeys()).isFalse();
        assertThat(parse("ACK sip:x SIP/2.0\r\nCall-ID: y\r\nCSeq: 1 2 3\r\n\r\n").hasDialogKeys()).isFalse();
        assertThat(parse("ACK sip:x SIP/2.0\r\nCall-ID: y\r\nCSeq: 12345678901 ACK\r\n\r\n").hasDialogKeys()).isFalse();
        assertThat(parse("ACK sip:x SIP/2.0\r\nCall-ID:\r\nCSeq: 1 ACK\r\n\r\n").hasDialogKeys()).isFalse();
    }

    @Test
    void fromAndToGiveOnlyAReadableUriWithoutDisplayNameOrPassword() {
        assertThat(SipParser.uri("\"Alice Smith\" <sip:alice@a.example>;tag=1")).isEqualTo("sip:alice@a.example");
        assertThat(SipParser.uri("Alice <sip:alice@a.example;transport=tcp>")).isEqualTo("sip:alice@a.example;transport=tcp");
        assertThat(SipParser.uri("sip:alice@a.example;tag=1")).isEqualTo("sip:alice@a.example");
        assertThat(SipParser.uri("<sip:alice@[2001:db8::1]:5070>")).isEqualTo("sip:alice@[2001:db8::1]:5070");
        assertThat(SipParser.uri("<sip:+4930123@10.0.0.1;user=phone>")).isEqualTo("sip:+4930123@10.0.0.1;user=phone");
        assertThat(SipParser.uri("<tel:+4940555;phone-context=x>")).isEqualTo("tel:+4940555;phone-context=x");
        assertThat(SipParser.uri("<urn:service:sos>")).isEqualTo("urn:service:sos");
        assertThat(SipParser.uri("Anonymous <sip:anonymous@anonymous.invalid>")).isEqualTo("sip:anonymous@anonymous.invalid");
        assertThat(SipParser.uri("<sip:registrar.example.com>")).isEqualTo("sip:registrar.example.com");
        // the user part is pseudonymised whole: any character but spaces, quotes and brackets
        assertThat(SipParser.uri("<sip:3510\u0014723@sip.example>")).isEqualTo("sip:3510\u0014723@sip.example");
        assertThat(SipParser.uri("<tel:+49\u00e90555;x=y>")).isEqualTo("tel:+49\u00e90555;x=y");
        // a password and user parameters never leave: the guard pseudonymises the user part alone
        assertThat(SipParser.uri("<sip:alice:secret@a.example>")).isEqualTo("sip:alice@a.example");
        assertThat(SipParser.uri("<sip:+4930123;phone-context=+49@a.example>")).isEqualTo("sip:+4930123@a.example");
        // what cannot be read is not given at all
        assertThat(SipParser.uri("\"arik\" %s\u0000p:alice@sip.example>")).isNull();   // display name, no brackets
        assertThat(SipParser.uri("Alice Smith sip:alice@a.example")).isNull();
        assertThat(SipParser.uri("\"Alice\"")).isNull();
        assertThat(SipParser.uri("<sip:Alice Smith@a.example>")).isNull();
        assertThat(SipParser.uri("<sip:voi180%s?sip.example.com>")).isNull();          // a user where the host goes
        assertThat(SipParser.uri("sip:+4930123;phone-context=x@a.example")).isNull();   // cut at ';' without brackets
        assertThat(SipParser.uri("<sip:alice@si%s\u0000ample.com>")).isNull();
        assertThat(SipParser.uri("<sip:alice@h\u00f4st.example>")).isNull();
        assertThat(SipParser.uri("<tel:+4940555;x=\u00e9>")).isNull();
        assertThat(SipParser.uri("<sip:a\tb@c.example>")).isNull();
        assertThat(SipParser.uri("<sip:@a.example>")).isNull();
        assertThat(SipParser.uri("<sip:a@b@c.example>")).isNull();
        assertThat(SipParser.uri("<sip:a@c.example:99999999>")).isNull();
        assertThat(SipParser.uri("<sip:>")).isNull();
        assertThat(SipParser.uri("<>")).isNull();
        assertThat(SipParser.uri("<1sip:a@b>")).isNull();
        assertThat(SipParser.uri(null)).isNull();
        // the parse of a whole message applies the same rule
        SipMessage m = parse("INVITE sip:b@b SIP/2.0\r\nFrom: Alice Smith sip:alice@a\r\nTo: \"Bob\"\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n");
        assertThat(m.from()).isNull();
        assertThat(m.to()).isNull();
        assertThat(m.hasDialogKeys()).isTrue();
    }

    @Test
    void theStartOfAMessageIsJudgedAsFarAsItGoes() {
        byte[] b = "INVITE sip:x SIP/2.0\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int n = 0; n <= b.length; n++) {
            assertThat(SipParser.couldStart(b, 0, n)).as("%d bytes", n).isTrue();
        }
        byte[] s = "SIP/2.0 200 OK\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int n = 0; n <= s.length; n++) {
            assertThat(SipParser.couldStart(s, 0, n)).isTrue();
        }
        assertThat(SipParser.couldStart(bytes("OPTIONS rtsp://"), 0, 15)).isFalse();
        assertThat(SipParser.couldStart(bytes("GET / HTTP/1.1"), 0, 14)).isFalse();
        assertThat(SipParser.couldStart(bytes("REG"), 0, 3)).isTrue();
        assertThat(SipParser.looksLikeSip(bytes("REGISTER sip:x"), 0, 14)).isTrue();
        assertThat(SipParser.looksLikeSip(bytes("ACK sip"), 0, 7)).isFalse(); // a datagram needs 8 bytes
        assertThat(SipParser.looksLikeSip(bytes("HTTP/1.1 200 OK"), 0, 15)).isFalse();
    }

    @Test
    void contentLengthAndHeadEnd() {
        byte[] b = bytes("SIP/2.0 200 OK\r\nl: 12\r\nContent-Length: 3\r\n\r\nbody");
        int head = SipParser.headEnd(b, 0, b.length);
        assertThat(head).isEqualTo(b.length - 4);
        assertThat(SipParser.contentLength(b, 0, head)).isEqualTo(12);
        assertThat(SipParser.contentLength(bytes("ACK sip:x SIP/2.0\r\n\r\n"), 0, 21)).isEqualTo(SipParser.ABSENT);
        byte[] bad = bytes("ACK sip:x SIP/2.0\r\nContent-Length: -1\r\n\r\n");
        assertThat(SipParser.contentLength(bad, 0, bad.length)).isEqualTo(SipParser.INVALID);
        assertThat(SipParser.headEnd(bytes("ACK sip:x SIP/2.0\n\n"), 0, 19)).isEqualTo(19);
        assertThat(SipParser.headEnd(bytes("ACK sip:x SIP/2.0\r\n"), 0, 19)).isEqualTo(-1);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
