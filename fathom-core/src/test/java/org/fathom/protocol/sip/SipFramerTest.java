package org.fathom.protocol.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A SIP stream cut into messages: at every split point, with keep-alives, long bodies, junk and gaps. */
class SipFramerTest {
    static final String STREAM = "INVITE sip:bob@b SIP/2.0\r\nf: <sip:alice@a>;tag=1\r\ni: call-1\r\nCSeq: 1 INVITE\r\n"
            + "c: application/sdp\r\nl: 48\r\n\r\nv=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n"
            + "\r\n\r\n"
            + "ACK sip:bob@b SIP/2.0\r\nCall-ID: call-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"
            + "SIP/2.0 200 OK\nCall-ID: call-1\nCSeq: 2 BYE\n\n";
    static final List<String> WANT = List.of("INVITE/48", "ACK/0", "200/0");

    static final class Out implements SipFramer.Handler {
        final List<String> messages = new ArrayList<>();
        final List<Integer> heads = new ArrayList<>();

        @Override
        public boolean message(byte[] b, int off, int len) {
            SipMessage m = SipParser.parse(b, off, len);
            messages.add(m == null ? "null" : (m.isRequest() ? m.method() : String.valueOf(m.status())) + "/" + m.body().length());
            return true;
        }

        @Override
        public boolean head(byte[] b, int off, int len) {
            heads.add(len);
            return true;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everySplitPointAndPairsOfThem() {
        byte[] b = bytes(STREAM);
        for (int i = 1; i < b.length; i++) {
            for (int j = i; j < b.length; j += (i % 5 == 0 ? 1 : 23)) {
                SipFramer f = new SipFramer(SipParser.MAX_BODY);
                Out o = new Out();
                assertThat(f.feed(b, 0, i, o)).isEqualTo(SipFramer.OK);
                assertThat(f.feed(b, i, j - i, o)).isEqualTo(SipFramer.OK);
                assertThat(f.feed(b, j, b.length - j, o)).isEqualTo(SipFramer.OK);
                assertThat(o.messages).as("cuts %d %d", i, j).isEqualTo(WANT);
                assertThat(f.partial()).isFalse();
            }
        }
        SipFramer f = new SipFramer(SipParser.MAX_BODY);
        Out o = new Out();
        for (int i = 0; i < b.length; i++) {
            f.feed(b, i, 1, o);
        }
        assertThat(o.messages).isEqualTo(WANT);
    }

    @Test
    void aBodyOverTheCapIsCutAndTheRestPassedOver() {
        String big = "MESSAGE sip:b@b SIP/2.0\r\nCall-ID: m\r\nCSeq: 1 MESSAGE\r\nContent-Length: 100\r\n\r\n" + "x".repeat(100);
        byte[] b = bytes(big + "ACK sip:b@b SIP/2.0\r\nCall-ID: m\r\nCSeq: 1 ACK\r\n\r\n");
        SipFramer f = new SipFramer(30);
        Out o = new Out();
        f.feed(b, 0, 40, o);
        f.feed(b, 40, b.length - 40, o);
        assertThat(o.messages).containsExactly("MESSAGE/30", "ACK/0");
    }

    @Test
    void junkLosesStepUntilAChunkStartsAMessage() {
        SipFramer f = new SipFramer(SipParser.MAX_BODY);
        Out o = new Out();
        byte[] junk = bytes("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(f.feed(junk, 0, junk.length, o)).isEqualTo(SipFramer.OK); // out of step from the start: ignored
        byte[] b = bytes(STREAM);
        assertThat(f.feed(b, 0, b.length, o)).isEqualTo(SipFramer.OK);
        byte[] mixed = bytes("ACK sip:b@b SIP/2.0\r\nCall-ID: z\r\nCSeq: 3 ACK\r\n\r\nGARBAGE-NOT-SIP\r\n\r\n");
        assertThat(f.feed(mixed, 0, mixed.length, o)).isEqualTo(SipFramer.NOT_SIP);
        assertThat(f.feed(bytes("more junk"), 0, 9, o)).isEqualTo(SipFramer.OK);
        byte[] bye = bytes("BYE sip:b@b SIP/2.0\r\nCall-ID: z\r\nCSeq: 4 BYE\r\n\r\n");
        f.feed(bye, 0, bye.length, o);
        assertThat(o.messages).containsExactly("INVITE/48", "ACK/0", "200/0", "ACK/0", "BYE/0");
    }

    @Test
    void aGapDropsThePartialMessage() {
        byte[] b = bytes(STREAM);
        int ack = STREAM.indexOf("ACK sip");
        SipFramer f = new SipFramer(SipParser.MAX_BODY);
        Out o = new Out();
        f.feed(b, 0, 100, o);
        assertThat(f.partial()).isTrue();
        f.gap();
        assertThat(f.partial()).isFalse();
        f.feed(b, 120, 10, o);                 // mid-message: not read
        f.feed(b, ack, b.length - ack, o);
        assertThat(o.messages).containsExactly("ACK/0", "200/0");
    }

    @Test
    void unreadableHeadsAndLengths() {
        Out o = new Out();
        byte[] cl = bytes("ACK sip:b@b SIP/2.0\r\nContent-Length: many\r\n\r\n");
        assertThat(new SipFramer(100).feed(cl, 0, cl.length, o)).isEqualTo(SipFramer.MALFORMED);
        byte[] longHead = bytes("ACK sip:b@b SIP/2.0\r\nX: " + "y".repeat(SipParser.MAX_HEAD) + "\r\n\r\n");
        SipFramer f = new SipFramer(100);
        assertThat(f.feed(longHead, 0, longHead.length, o)).isEqualTo(SipFramer.MALFORMED);
        assertThat(f.partial()).isFalse();
        assertThat(o.messages).isEmpty();
        // the handler may stop at the head or at the message
        byte[] b = bytes(STREAM);
        SipFramer g = new SipFramer(100);
        assertThat(g.feed(b, 0, b.length, new SipFramer.Handler() {
            @Override
            public boolean message(byte[] x, int off, int len) {
                return true;
            }

            @Override
            public boolean head(byte[] x, int off, int len) {
                return false;
            }
        })).isEqualTo(SipFramer.STOPPED);
        assertThat(new SipFramer(100).feed(b, 0, b.length, (x, off, len) -> false)).isEqualTo(SipFramer.STOPPED);
    }
}
