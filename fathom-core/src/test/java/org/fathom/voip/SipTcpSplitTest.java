package org.fathom.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SIP over TCP cut at every byte: the same messages come out, whatever the segmentation. */
class SipTcpSplitTest {
    static final String STREAM = "INVITE sip:bob@b SIP/2.0\r\nv: SIP/2.0/TCP a;branch=z9hG4bK1\r\nf: <sip:alice@a>;tag=1\r\n"
            + "t: <sip:bob@b>\r\ni: call-1\r\nCSeq: 1 INVITE\r\nc: application/sdp\r\nl: 48\r\n\r\n"
            + "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n"
            + "\r\n"
            + "ACK sip:bob@b SIP/2.0\r\nCall-ID: call-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"
            + "BYE sip:bob@b SIP/2.0\r\nCall-ID: call-1\r\nCSeq: 2 BYE\r\nReason: Q.850;cause=16\r\n"
            + "Content-Length:0\r\n\r\n";

    static List<String> feed(TcpStream s, byte[] b, int[] cuts) {
        List<String> out = new ArrayList<>();
        int prev = 0;
        int seq = 1000;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : b.length;
            for (SipMessage m : s.onSegment(seq + prev, b, prev, end - prev)) {
                out.add(m.method() + "/" + m.callId() + "/" + m.cseq() + "/" + Sdp.parse(m.body()).size() + "/" + m.q850Cause());
            }
            prev = end;
        }
        return out;
    }

    static final List<String> WANT = List.of("INVITE/call-1/1/1/-1", "ACK/call-1/1/0/-1", "BYE/call-1/2/0/16");

    @Test
    void everySplitPoint() {
        byte[] b = STREAM.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(SipParser.frame(b, 0, b.length)).isGreaterThan(0);
        for (int cut = 1; cut < b.length; cut++) {
            assertThat(feed(new TcpStream(), b, new int[] {cut})).as("cut at %d", cut).isEqualTo(WANT);
        }
    }

    @Test
    void everyPairOfSplitPointsInTheFirstMessage() {
        byte[] b = STREAM.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 1; i < 240; i += 3) {
            for (int j = i + 1; j < b.length; j += 7) {
                assertThat(feed(new TcpStream(), b, new int[] {i, j})).as("cuts %d %d", i, j).isEqualTo(WANT);
            }
        }
    }

    @Test
    void retransmittedSegmentsAreTrimmed() {
        byte[] b = STREAM.getBytes(StandardCharsets.ISO_8859_1);
        TcpStream s = new TcpStream();
        List<String> out = new ArrayList<>();
        for (int cut = 50; cut <= b.length; cut += 50) {
            int from = Math.max(0, cut - 80);   // every segment repeats 30 bytes already seen
            int to = Math.min(b.length, cut);
            for (SipMessage m : s.onSegment(1000 + from, b, from, to - from)) {
                out.add(m.method());
            }
        }
        for (SipMessage m : s.onSegment(1000 + (b.length / 50) * 50, b, (b.length / 50) * 50, b.length - (b.length / 50) * 50)) {
            out.add(m.method());
        }
        assertThat(out).containsExactly("INVITE", "ACK", "BYE");
    }

    @Test
    void aGapDropsThePartialMessageAndResynchronises() {
        byte[] b = STREAM.getBytes(StandardCharsets.ISO_8859_1);
        int ack = STREAM.indexOf("ACK sip");
        TcpStream s = new TcpStream();
        assertThat(s.onSegment(1000, b, 0, 100)).isEmpty();
        // bytes 100..ack lost; the next segment starts at the ACK
        List<SipMessage> l = s.onSegment(1000 + ack, b, ack, b.length - ack);
        assertThat(l).extracting(SipMessage::method).containsExactly("ACK", "BYE");
    }
}
