package org.fathom.protocol.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class SipDissectorTest {
    private final SipDissector d = new SipDissector();

    static final String SDP = "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
            + "m=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\nm=video 51372 RTP/AVP 99\r\nc=IN IP6 2001:db8::5\r\n";

    static String invite() {
        return "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: Bob <sip:bob@biloxi.example.com>\r\n"
                + "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
                + "CSeq: 314159 INVITE\r\n"
                + "User-Agent: sipp/3.7\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;
    }

    static final String TRYING = "SIP/2.0 100 Trying\r\nCall-ID: a84b4c76e66710@pc33.atlanta.example.com\r\nContent-Length: 0\r\n\r\n";
    static final String OK = "SIP/2.0 200 OK\r\nServer: sipp\r\nCall-ID: a84b4c76e66710@pc33.atlanta.example.com\r\nl: 0\r\n\r\n";

    @Test
    void inviteOverUdpAnnouncesMedia() {
        TestFlow c = TestFlow.udp(5060);
        assertThat(c.feed(d, true, invite())).isEqualTo(Dissector.MATCH);
        c.feed(d, false, TRYING);
        c.feed(d, false, OK);
        assertThat(c.meta).containsEntry("sip.method", "INVITE").containsEntry("sip.status", 200L)
                .containsEntry("sip.call_id", "a84b4c76e66710@pc33.atlanta.example.com")
                .containsEntry("sip.from", "sip:alice@atlanta.example.com").containsEntry("sip.to", "sip:bob@biloxi.example.com")
                .containsEntry("sip.user_agent", "sipp/3.7");
        assertThat(c.expectations).containsExactly("17/0:ffffc000020a:49170=RTP", "17/20010db800000000:5:51372=RTP"); // the second stream is on 2001:db8::5
    }

    @Test
    void tcpEverySplitPointAndSeveralMessagesPerSegment() {
        String client = invite() + "\r\n\r\n" + "ACK sip:bob@biloxi.example.com SIP/2.0\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n";
        String server = TRYING + OK;
        Map<String, Object> whole = tcp(client, server, client.length(), server.length());
        assertThat(whole).containsEntry("sip.status", 200L).containsEntry("verdict", Dissector.MATCH);
        for (int k = 1; k < client.length(); k++) {
            assertThat(tcp(client, server, k, Math.min(k, server.length() - 1))).as("split %d", k).isEqualTo(whole);
        }
        TestFlow c = TestFlow.tcp(5060);
        byte[] cb = client.getBytes(StandardCharsets.ISO_8859_1);
        byte[] sb = server.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < cb.length; i++) {
            c.feed(d, true, cb, i, 1);
        }
        for (int i = 0; i < sb.length; i++) {
            c.feed(d, false, sb, i, 1);
        }
        assertThat(summary(c)).isEqualTo(whole);
    }

    private Map<String, Object> tcp(String client, String server, int k, int ks) {
        TestFlow c = TestFlow.tcp(5060);
        c.feed(d, true, client.substring(0, k));
        if (k < client.length()) {
            c.feed(d, true, client.substring(k));
        }
        c.feed(d, false, server.substring(0, ks));
        if (ks < server.length()) {
            c.feed(d, false, server.substring(ks));
        }
        return summary(c);
    }

    private static Map<String, Object> summary(TestFlow c) {
        Map<String, Object> m = new LinkedHashMap<>(c.meta);
        m.put("verdict", c.verdict);
        m.put("expected", c.expectations.toString());
        return m;
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            if (o.startsWith("INVITE")) {
                continue;
            }
            assertThat(TestFlow.udp(5060).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            assertThat(TestFlow.tcp(5060).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        assertThat(TestFlow.tcp(5060).feed(d, true, "OPTIONS * HTTP/1.1\r\n\r\n")).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(554).feed(d, true, "OPTIONS rtsp://x/y RTSP/1.0\r\nCSeq: 1\r\n\r\n")).isEqualTo(Dissector.NO);
        DissectorChecks.neverThrows(d, 5060, 15, DissectorChecks.ascii(invite()), DissectorChecks.ascii(OK));
    }
}
