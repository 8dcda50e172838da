package org.fathom.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fathom.decode.DecodedPacket;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.record.CallRecord;
import org.fathom.record.CollectingSink;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outcome rules, timeouts and media binding, driven by hand-made packets. */
class CallAnalyzerTest {
    static final long A = 0xffff7f000001L;   // 127.0.0.1 (IPv4-mapped low half)
    static final long B = 0xffff7f000002L;
    static final long SEC = 1_000_000_000L;

    CollectingSink sink;
    PrivacyGuard guard;
    CallAnalyzer an;
    CallStats stats;
    long t = 1_700_000_000L * SEC;

    @BeforeEach
    void open() throws IOException {
        var policy = Analyze.labPolicy();
        sink = new CollectingSink();
        guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink));
        stats = new CallStats();
        an = new CallAnalyzer(CallConfig.defaults(), stats, guard);
    }

    @AfterEach
    void close() throws IOException {
        guard.close();
    }

    List<CallRecord> end() {
        an.finish(guard);
        return sink.calls();
    }

    static DecodedPacket udp(long src, int sp, long dst, int dp, byte[] payload, long ts) {
        DecodedPacket d = new DecodedPacket();
        d.ipVersion = 4;
        d.srcLo = src;
        d.dstLo = dst;
        d.srcPort = sp;
        d.dstPort = dp;
        d.l4 = 17;
        d.buf = payload;
        d.payloadOffset = 0;
        d.payloadLength = payload.length;
        d.timestampNanos = ts;
        return d;
    }

    static String sdp(int port) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    static byte[] req(String method, String callId, int cseq, String toTag, String extra, String body) {
        String to = "<sip:bob@b>" + (toTag == null ? "" : ";tag=" + toTag);
        String m = method + " sip:bob@b SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nFrom: \"A\" <sip:alice@a>;tag=1\r\nTo: "
                + to + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " " + (method.equals("ACK") && cseq == 0 ? "ACK" : method)
                + "\r\n" + extra + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        return m.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] resp(int code, String callId, int cseq, String method, String body) {
        String m = "SIP/2.0 " + code + " X\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nFrom: <sip:alice@a>;tag=1\r\nTo: <sip:bob@b>;tag=2\r\nCall-ID: "
                + callId + "\r\nCSeq: " + cseq + " " + method + "\r\n" + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        return m.getBytes(StandardCharsets.ISO_8859_1);
    }

    void c2s(byte[] m) {
        an.onPacket(udp(A, 5060, B, 5060, m, t));
    }

    void s2c(byte[] m) {
        an.onPacket(udp(B, 5060, A, 5060, m, t));
    }

    void step(long nanos) {
        t += nanos;
    }

    void rtp(long src, int sp, long dst, int dp, int seq, long ts) {
        rtp(src, sp, dst, dp, seq, ts, 0);
    }

    void rtp(long src, int sp, long dst, int dp, int seq, long ts, int pt) {
        byte[] p = new byte[pt == 13 ? 13 : 172];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[11] = (byte) (src & 0xff);
        an.onPacket(udp(src, sp, dst, dp, p, t));
    }

    void answeredCall(String id) {
        c2s(req("INVITE", id, 1, null, "", sdp(4000)));
        step(SEC / 10);
        s2c(resp(180, id, 1, "INVITE", ""));
        step(SEC);
        s2c(resp(200, id, 1, "INVITE", sdp(5000)));
        c2s(req("ACK", id, 1, "2", "", ""));
    }

    @Test
    void completedCallWithPddAndMedia() {
        answeredCall("c1");
        for (int i = 0; i < 100; i++) {
            step(20_000_000);
            rtp(A, 4000, B, 5000, 65500 + i, i * 160L);   // wraps at 36
            rtp(B, 5000, A, 4000, i, i * 160L);
        }
        c2s(req("BYE", "c1", 2, "2", "Reason: Q.850;cause=16\r\n", ""));
        List<CallRecord> l = end();
        assertThat(l).hasSize(1);
        CallRecord c = l.getFirst();
        assertThat(c.outcome()).isEqualTo("completed");
        assertThat(c.pddMs()).isEqualTo(100);
        assertThat(c.media()).hasSize(2);
        assertThat(c.media().get(0).direction()).isEqualTo("caller_to_callee");
        assertThat(c.media().get(0).packets()).isEqualTo(100);
        assertThat(c.media().get(0).lossPct()).isZero();
        assertThat(c.media().get(0).jitterMs()).isLessThan(0.2);
        assertThat(c.media().get(0).codec()).isEqualTo("PCMU/8000");
        assertThat(c.media().get(0).mos()).isGreaterThan(4.3);
        assertThat(c.durationS()).isGreaterThan(1.9);
    }

    /** Issue 16 item 5: comfort noise between talk spurts is media of the stream, not loss. */
    @Test
    void comfortNoiseCountsAsMediaNotLoss() {
        answeredCall("c1");
        for (int i = 0; i < 100; i++) {
            step(20_000_000);
            rtp(A, 4000, B, 5000, i, i * 160L, i % 10 < 2 ? 0 : 13);   // 20 % speech, 80 % CN
            rtp(B, 5000, A, 4000, i, i * 160L);
        }
        c2s(req("BYE", "c1", 2, "2", "", ""));
        CallRecord c = end().getFirst();
        CallRecord.MediaStream up = c.media().getFirst();
        assertThat(up.direction()).isEqualTo("caller_to_callee");
        assertThat(up.packets()).isEqualTo(100);
        assertThat(up.lossPct()).isZero();
        assertThat(up.codec()).isEqualTo("PCMU/8000");
        assertThat(up.mos()).isGreaterThan(4.3);
    }

    @Test
    void byeWithErrorCauseIsDropped() {
        answeredCall("c1");
        c2s(req("BYE", "c1", 2, "2", "Reason: Q.850 ;cause=41;text=\"x\"\r\n", ""));
        assertThat(end().getFirst().outcome()).isEqualTo("dropped");
    }

    @Test
    void authChallengeThenNewInviteIsOneCall() {
        c2s(req("INVITE", "c1", 1, null, "", sdp(4000)));
        s2c(resp(407, "c1", 1, "INVITE", ""));
        c2s(req("ACK", "c1", 1, "2", "", ""));
        step(SEC);
        c2s(req("INVITE", "c1", 2, null, "Proxy-Authorization: Digest x\r\n", sdp(4000)));
        s2c(resp(486, "c1", 2, "INVITE", ""));
        c2s(req("ACK", "c1", 2, "2", "", ""));
        List<CallRecord> l = end();
        assertThat(l).extracting(CallRecord::outcome).containsExactly("busy");
    }

    /** Issue 16 item 7: a retry 32-51 s after the 407 is the same call, not a second record. */
    @Test
    void slowAuthRetryIsStillOneCall() {
        for (int s : new int[] {33, 45, 51}) {
            String id = "slow" + s;
            c2s(req("INVITE", id, 1, null, "", sdp(4000)));
            s2c(resp(407, id, 1, "INVITE", ""));
            c2s(req("ACK", id, 1, "2", "", ""));
            for (int i = 0; i < s; i++) {
                step(SEC);
                c2s(req("OPTIONS", "x", 1, null, "", ""));   // sweeps run
            }
            c2s(req("INVITE", id, 2, null, "Proxy-Authorization: Digest x\r\n", sdp(4000)));
            s2c(resp(180, id, 2, "INVITE", ""));
            s2c(resp(200, id, 2, "INVITE", sdp(5000)));
            c2s(req("ACK", id, 2, "2", "", ""));
            c2s(req("BYE", id, 3, "2", "", ""));
        }
        assertThat(end()).extracting(CallRecord::outcome).containsExactly("completed", "completed", "completed");
        assertThat(stats.attempts()).isEqualTo(3);
        assertThat(stats.count("rejected")).isZero();
    }

    @Test
    void challengeNeverAnsweredIsRejected() {
        c2s(req("INVITE", "c1", 1, null, "", ""));
        s2c(resp(401, "c1", 1, "INVITE", ""));
        c2s(req("ACK", "c1", 1, "2", "", ""));
        step(40 * SEC);
        c2s(req("OPTIONS", "other", 1, null, "", ""));   // time passes
        assertThat(sink.calls()).as("still waiting for the retry").isEmpty();
        step(141 * SEC);
        c2s(req("OPTIONS", "other", 1, null, "", ""));   // time passes
        assertThat(sink.calls()).extracting(CallRecord::outcome).containsExactly("rejected");
        assertThat(end()).hasSize(1);
    }

    @Test
    void cancelThen487IsCancelledAnd487AloneIsRejected() {
        c2s(req("INVITE", "c1", 1, null, "", ""));
        s2c(resp(180, "c1", 1, "INVITE", ""));
        c2s(req("CANCEL", "c1", 1, null, "", ""));
        s2c(resp(200, "c1", 1, "CANCEL", ""));
        s2c(resp(487, "c1", 1, "INVITE", ""));
        c2s(req("ACK", "c1", 1, "2", "", ""));
        c2s(req("INVITE", "c2", 1, null, "", ""));
        s2c(resp(487, "c2", 1, "INVITE", ""));
        assertThat(end()).extracting(CallRecord::outcome).containsExactly("cancelled", "rejected");
    }

    @Test
    void statusClasses() {
        int[] codes = {486, 600, 408, 480, 302, 403, 404, 484, 485, 488, 603, 606, 415, 500, 503, 504};
        String[] want = {"busy", "busy", "no_answer", "no_answer", "redirected", "rejected", "rejected", "rejected",
            "rejected", "rejected", "rejected", "rejected", "rejected", "failed", "failed", "failed"};
        for (int i = 0; i < codes.length; i++) {
            c2s(req("INVITE", "c" + i, 1, null, "", ""));
            s2c(resp(codes[i], "c" + i, 1, "INVITE", ""));
            c2s(req("ACK", "c" + i, 1, "2", "", ""));
        }
        assertThat(end()).extracting(CallRecord::outcome).containsExactly(want);
        assertThat(stats.blocked()).isEqualTo(11);
    }

    @Test
    void noAckForThe2xxIsDropped() {
        c2s(req("INVITE", "c1", 1, null, "", ""));
        s2c(resp(200, "c1", 1, "INVITE", ""));
        step(33 * SEC);
        c2s(req("OPTIONS", "x", 1, null, "", ""));
        assertThat(sink.calls()).extracting(CallRecord::endReason).containsExactly("no_ack");
        assertThat(sink.calls().getFirst().outcome()).isEqualTo("dropped");
    }

    @Test
    void mediaStoppingBothWaysIsDroppedWhenTheDialogStaysSilentToo() {
        answeredCall("c1");
        for (int i = 0; i < 10; i++) {
            step(20_000_000);
            rtp(A, 4000, B, 5000, i, i * 160L);
        }
        long lastMedia = t;
        step(31 * SEC);
        c2s(req("OPTIONS", "x", 1, null, "", ""));
        assertThat(sink.calls()).as("suspect after the media timeout, not yet decided").isEmpty();
        step(150 * SEC);
        c2s(req("OPTIONS", "x", 1, null, "", ""));
        assertThat(sink.calls()).extracting(CallRecord::endReason).containsExactly("media_timeout");
        assertThat(sink.calls().getFirst().outcome()).isEqualTo("dropped");
        assertThat(sink.calls().getFirst().endNanos()).isEqualTo(lastMedia);
    }

    /** Issue 16 item 6: the media timeout does not override a later normal BYE. */
    @Test
    void aBye40sAfterTheMediaStoppedStillDecides() {
        answeredCall("c1");
        for (int i = 0; i < 10; i++) {
            step(20_000_000);
            rtp(A, 4000, B, 5000, i, i * 160L);
        }
        for (int s = 0; s < 40; s++) {
            step(SEC);
            c2s(req("OPTIONS", "x", 1, null, "", ""));   // time passes, sweeps run
        }
        c2s(req("BYE", "c1", 2, "2", "Reason: Q.850;cause=16\r\n", ""));
        List<CallRecord> l = end();
        assertThat(l).extracting(CallRecord::outcome).containsExactly("completed");
        assertThat(l.getFirst().endReason()).isEqualTo("bye");
        assertThat(l.getFirst().endNanos()).isEqualTo(t);
    }

    @Test
    void mediaStoppedAndNoSignallingUntilTheEndOfInputIsDropped() {
        answeredCall("c1");
        rtp(A, 4000, B, 5000, 1, 160L);
        answeredCall("c2");
        rtp(A, 4002, B, 5002, 1, 160L);   // not bound: c2 has no media
        step(40 * SEC);
        c2s(req("OPTIONS", "c1", 2, "2", "", ""));   // c1: signalling after its media stopped
        answeredCall("c3");
        rtp(A, 4000, B, 5000, 1, 160L);
        step(40 * SEC);
        c2s(req("OPTIONS", "x", 1, null, "", ""));
        assertThat(end()).extracting(c -> c.callId() + ":" + c.endReason())
                .containsExactlyInAnyOrder("c1:end_of_input", "c2:end_of_input", "c3:media_timeout");
    }

    /** Issue 16 item 6: comfort noise alone keeps a call alive. */
    @Test
    void comfortNoiseOnlyKeepsTheCallAlive() {
        answeredCall("c1");
        for (int i = 0; i < 2010; i++) {   // 0.2 s of speech, then 40 s of CN both ways
            step(20_000_000);
            rtp(A, 4000, B, 5000, i, i * 160L, i < 10 ? 0 : 13);
            rtp(B, 5000, A, 4000, i, i * 160L, i < 10 ? 0 : 13);
            if (i % 50 == 0) {
                c2s(req("OPTIONS", "x", 1, null, "", ""));   // sweeps run
            }
        }
        c2s(req("BYE", "c1", 2, "2", "", ""));
        CallRecord c = end().getFirst();
        assertThat(c.outcome()).isEqualTo("completed");
        assertThat(c.endReason()).isEqualTo("bye");
        assertThat(c.media()).extracting(CallRecord.MediaStream::lossPct).containsExactly(0.0, 0.0);
    }

    @Test
    void noFinalResponseBeforeTheDialogTimeoutIsNoAnswerAndOpenCallsAreInProgress() {
        c2s(req("INVITE", "c1", 1, null, "", ""));
        s2c(resp(180, "c1", 1, "INVITE", ""));
        step(181 * SEC);
        c2s(req("INVITE", "c2", 1, null, "", ""));
        answeredCall("c3");
        List<CallRecord> l = end();
        assertThat(l).extracting(CallRecord::outcome).containsExactly("no_answer", "in_progress", "in_progress");
        assertThat(l.getFirst().endReason()).isEqualTo("dialog_timeout");
    }

    @Test
    void emergencyCalls() {
        for (String uri : List.of("urn:service:sos.police", "sip:112@x;user=phone", "tel:911", "sip:1234@x")) {
            String id = "e" + uri.hashCode();
            String m = new String(req("INVITE", id, 1, null, "", ""), StandardCharsets.ISO_8859_1)
                    .replace("INVITE sip:bob@b", "INVITE " + uri).replace("<sip:bob@b>", "<" + uri + ">");
            c2s(m.getBytes(StandardCharsets.ISO_8859_1));
        }
        assertThat(end()).extracting(CallRecord::emergency).containsExactly(true, true, true, false);
    }

    @Test
    void reInviteMovesTheMediaAndIpv6IsBound() {
        answeredCall("c1");
        String v6 = "v=0\r\nc=IN IP6 2001:db8::1\r\nm=audio 7000 RTP/AVP 8\r\n";
        c2s(req("INVITE", "c1", 2, "2", "", v6));
        s2c(resp(200, "c1", 2, "INVITE", ""));
        DecodedPacket d = udp(0, 9000, 0, 7000, new byte[] {(byte) 0x80, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, t);
        d.dstHi = 0x20010db800000000L;
        d.dstLo = 1;
        an.onPacket(d);
        c2s(req("BYE", "c1", 3, "2", "", ""));
        CallRecord c = end().getFirst();
        assertThat(c.media()).hasSize(1);
        assertThat(c.media().getFirst().direction()).isEqualTo("callee_to_caller");
        assertThat(c.media().getFirst().codec()).isEqualTo("PCMA/8000");
    }

    @Test
    void faxSwitchedToT38IsNotAMediaTimeout() {
        answeredCall("c1");
        for (int i = 0; i < 10; i++) {
            step(20_000_000);
            rtp(A, 4000, B, 5000, i, i * 160L);
        }
        String t38 = "v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 0 RTP/AVP 0\r\nm=image 4002 udptl t38\r\n";
        c2s(req("INVITE", "c1", 2, "2", "", t38));
        s2c(resp(200, "c1", 2, "INVITE", t38.replace("4002", "5002")));
        for (int i = 0; i < 50; i++) {
            step(SEC);
            an.onPacket(udp(B, 5002, A, 4002, new byte[] {0, 1, 2, 3}, t));
        }
        c2s(req("BYE", "c1", 3, "2", "", ""));
        CallRecord c = end().getFirst();
        assertThat(c.outcome()).isEqualTo("completed");
        assertThat(c.media()).hasSize(1);
    }

    @Test
    void boundedDialogs() throws IOException {
        an = new CallAnalyzer(CallConfig.defaults().withMaxDialogs(10), stats, guard);
        for (int i = 0; i < 25; i++) {
            c2s(req("INVITE", "c" + i, 1, null, "", sdp(4000 + i)));
        }
        assertThat(an.openCalls()).isEqualTo(10);
        assertThat(an.evicted()).isEqualTo(15);
        assertThat(end()).hasSize(25);
    }

    /**
     * Issue 16 item 10: the RTP path allocates nothing per packet, whatever the JIT (the launcher
     * runs C1, which does no escape analysis: a key object per lookup was 32 bytes a packet).
     */
    @Test
    void rtpPacketsAllocateNothing() {
        for (int c = 0; c < 200; c++) {
            c2s(req("INVITE", "a" + c, 1, null, "", sdp(10_000 + 2 * c)));
            s2c(resp(200, "a" + c, 1, "INVITE", sdp(30_000 + 2 * c)));
            c2s(req("ACK", "a" + c, 1, "2", "", ""));
        }
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[1] = 0;
        DecodedPacket d = udp(A, 10_000, B, 30_000, p, t);
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = 0;
        for (int i = 0; i < 120_000; i++) {
            if (i == 20_000) {
                before = mx.getCurrentThreadAllocatedBytes();
            }
            int c = i % 200;
            boolean up = (i / 200 & 1) == 0;
            d.srcLo = up ? A : B;
            d.dstLo = up ? B : A;
            d.srcPort = up ? 10_000 + 2 * c : 30_000 + 2 * c;
            d.dstPort = up ? 30_000 + 2 * c : 10_000 + 2 * c;
            int seq = i / 400;
            p[2] = (byte) (seq >> 8);
            p[3] = (byte) seq;
            p[7] = (byte) (seq * 160);
            p[6] = (byte) (seq * 160 >> 8);
            d.timestampNanos = t + i * 50_000L;   // 6 s in all: sweeps run
            an.onPacket(d);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 100,000 RTP packets").isLessThan(20_000);
        List<CallRecord> l = end();
        assertThat(l).hasSize(200);
        assertThat(l.getFirst().media()).extracting(CallRecord.MediaStream::packets).containsExactly(300L, 300L);
    }

    @Test
    void nonSipTrafficIsIgnored() {
        byte[] junk = new byte[200];
        for (int i = 0; i < 1000; i++) {
            junk[0] = (byte) i;
            an.onPacket(udp(A, 1000 + i, B, 53, junk, t));
        }
        assertThat(end()).isEmpty();
        assertThat(new ArrayList<>(sink.flows())).isEmpty();
    }
}
