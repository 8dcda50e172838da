package org.fathom.protocol.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class RtspDissectorTest {
    @Test
    void requestAndResponseAtEverySplit() {
        TestFlow f = Splits.check(RtspDissector::new, d -> TestFlow.tcp(d, 554), List.of(
                Msg.c("DESCRIBE rtsp://user:pw@Camera.Example.org:8554/live?token=1 RTSP/1.0\r\nCSeq: 2\r\n\r\n"),
                Msg.s("RTSP/1.0 200 OK\r\nCSeq: 2\r\n\r\n")));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("rtsp.host", "camera.example.org").containsEntry("rtsp.status", 200L);
        assertThat(f.meta.toString()).doesNotContain("pw").doesNotContain("token");
    }

    @Test
    void httpIsNotRtsp() {
        assertThat(TestFlow.tcp(new RtspDissector(), 554).client(Msg.c("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").bytes()).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new RtspDissector(), 554).client(Msg.c("GET / HTTP/1.1\r\n").bytes()).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new RtspDissector(), 554).server(Msg.s("HTTP/1.1 200 OK\r\n").bytes()).verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void uriHosts() {
        byte[] v6 = "rtsp://[2001:db8::1]:554/a".getBytes();
        assertThat(RtspDissector.uriHost(v6, 0, v6.length)).isEqualTo("2001:db8::1");
        byte[] star = "*".getBytes();
        assertThat(RtspDissector.uriHost(star, 0, 1)).isNull();
    }
}
