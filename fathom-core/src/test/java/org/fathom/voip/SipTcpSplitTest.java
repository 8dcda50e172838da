package org.fathom.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fathom.protocol.sip.SipMessage;
import org.fathom.protocol.sip.SipParser;
import org.junit.jupiter.api.Test;

/**
 * SIP over TCP as call analytics reads it ({@link SipTcpStream}): cut at every byte, the same
 * messages come out, whatever the segmentation; retransmissions are not read twice; a gap or a
 * late segment costs the partial message only.
 */
class SipTcpSplitTest {
    static final String STREAM = "INVITE sip:bob@b SIP/2.0\r\nv: SIP/2.0/TCP a;branch=z9hG4bK1\r\nf: <sip:alice@a>;tag=1\r\n"
            + "t: <sip:bob@b>\r\ni: call-1\r\nCSeq: 1 INVITE\r\nc: application/sdp\r\nl: 48\r\n\r\n"
            + "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n"
            + "\r\n"
            + "ACK sip:bob@b SIP/2.0\r\nCall-ID: call-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"
            + "BYE sip:bob@b SIP/2.0\r\nCall-ID: call-1\r\nCSeq: 2 BYE\r\nReason: Q.850;cause=16\r\n"
            + "Content-Length:0\r\n\r\n";

    /** The messages a segment completes, as the call analyzer takes them. */
    static List<SipMessage> onSegment(SipTcpStream s, int seq, byte[] b, int off, int len) {
        List<SipMessage> out = new ArrayList<>();
        s.segment(seq, b, off, len, (buf, o, l) -> {
            SipMessage m = SipParser.parse(buf, o, l);
            if (m != null && m.hasDialogKeys()) {
                out.add(m);
            }
            return true;
        });
        return out;
    }

    static List<String> feed(SipTcpStream s, byte[] b, int[] cuts) {
        List<String> out = new ArrayList<>();
        int prev = 0;
        int seq = 1000;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : b.length;
            for (SipMessage m : onSegment(s, seq + prev, b, prev, end - prev)) {
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
        for (int cut = 1; cut < b.length; cut++) {
            assertThat(feed(new SipTcpStream(), b, new int[] {cut})).as("cut at %d", cut).isEqualTo(WANT);
        }
    }

    @Test
    void everyPairOfSplitPointsInTheFirstMessage() {
        byte[] b = STREAM.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 1; i < 240; i += 3) {
            for (int j = i + 1; j < b.length; j += 7) {
                assertThat(feed(new SipTcpStream(), b, new int[] {i, j})).as("cuts %d %d", i, j).isEqualTo(WANT);
            }
        }
    }

    @Test
    void retransmittedSegmentsAreTrimmed() {
        byte[] b = STREAM.getBytes(StandardCharsets.ISO_8859_1);
        SipTcpStream s = new SipTcpStream();
        List<String> out = new ArrayList<>();
        for (int cut = 50; cut <= b.length; cut += 50) {
            int from = Math.max(0, cut - 80);   // every segment repeats 30 bytes already seen
            int to = Math.min(b.length, cut);
            for (SipMessage m : onSegment(s, 1000 + from, b, from, to - from)) {
                out.add(m.method());
            }
        }
        for (SipMessage m : onSegment(s, 1000 + (b.length / 50) * 50, b, (b.length / 50) * 50, b.length - (b.length / 50) * 50)) {
            out.add(m.method());
        }
        assertThat(out).containsExactly("INVITE", "ACK", "BYE");
    }

    @Test
    void aGapDropsThePartialMessageAndResynchronises() {
        byte[] b = STREAM.getBytes(StandardCharsets.ISO_8859_1);
        int ack = STREAM.indexOf("ACK sip");
        SipTcpStream s = new SipTcpStream();
        assertThat(onSegment(s, 1000, b, 0, 100)).isEmpty();
        // bytes 100..ack lost; the next segment starts at the ACK
        List<SipMessage> l = onSegment(s, 1000 + ack, b, ack, b.length - ack);
        assertThat(l).extracting(SipMessage::method).containsExactly("ACK", "BYE");
    }

    @Test
    void aLateSegmentCostsItsMessageOnlyAndIsNeverReadAfterWhatFollowedIt() {
        byte[] b = STREAM.getBytes(StandardCharsets.ISO_8859_1);
        int ack = STREAM.indexOf("ACK sip");
        int bye = STREAM.indexOf("BYE sip");
        SipTcpStream s = new SipTcpStream();
        List<String> out = new ArrayList<>();
        for (int[] seg : new int[][] {{0, 100}, {ack, bye}, {100, ack}, {bye, b.length}}) {
            for (SipMessage m : onSegment(s, 1000 + seg[0], b, seg[0], seg[1] - seg[0])) {
                out.add(m.method());
            }
        }
        assertThat(out).containsExactly("ACK", "BYE");
    }
}
