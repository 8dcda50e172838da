package org.fathom.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.http.H2Frames.concat;
import static org.fathom.protocol.http.H2Frames.frame;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.events.TransactionSplitPointTest.Msg;
import org.fathom.protocol.http.H2Frames;
import org.fathom.protocol.http.HttpDissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 (h2c) stream parser at every split point: the preface, frame headers, padded and
 * prioritised HEADERS, a header block continued in CONTINUATION, HPACK references to the dynamic
 * table built by earlier blocks, Huffman strings, padded DATA, an interim 100 response,
 * RST_STREAM, and a stream never answered.
 */
class Http2SplitPointTest {
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int CONTINUATION = 9;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static final List<Msg> CONVERSATION;

    static {
        byte[] get1 = new H2Frames().indexed(2).indexed(6).incremental(4, null, "/a?user=alice", true)
                .incremental(1, null, "www.example.test:8080", true).incremental(58, null, "split/2", false).bytes();
        // dynamic table now: 62 user-agent, 63 :authority, 64 :path
        byte[] post3 = new H2Frames().indexed(3).indexed(6).literal(4, null, "/p", false).indexed(63).indexed(62).bytes();
        byte[] headers3 = concat(new byte[] {2}, new byte[] {0, 0, 0, 1, 15}, java.util.Arrays.copyOf(post3, 3), new byte[] {0, 0});
        byte[] cont3 = java.util.Arrays.copyOfRange(post3, 3, post3.length);
        byte[] client1 = concat(H2Frames.preface(), frame(SETTINGS, 0, 0, new byte[0]),
                frame(HEADERS, 0x5, 1, get1),
                frame(HEADERS, 0x8 | 0x20, 3, headers3), frame(CONTINUATION, 0x4, 3, cont3),
                frame(DATA, 0x8 | 0x1, 3, concat(new byte[] {3}, b("hello"), new byte[3])));
        byte[] ok1 = new H2Frames().indexed(8).incremental(31, null, "text/plain", true).literal(54, null, "h2test", false).bytes();
        byte[] continue3 = new H2Frames().literal(8, null, "100", false).bytes();
        byte[] notFound3 = new H2Frames().indexed(13).indexed(62).bytes();   // 62: content-type text/plain
        byte[] server1 = concat(frame(SETTINGS, 0, 0, new byte[] {0, 3, 0, 0, 0, 100}), frame(SETTINGS, 1, 0, new byte[0]),
                frame(HEADERS, 0x4, 1, ok1), frame(DATA, 0, 1, b("ab")), frame(DATA, 0x1, 1, b("c")),
                frame(HEADERS, 0x4, 3, continue3), frame(HEADERS, 0x5, 3, notFound3));
        byte[] client2 = concat(frame(HEADERS, 0x5, 5, new H2Frames().indexed(2).indexed(6).literal(4, null, "/never", false).indexed(63).bytes()),
                frame(HEADERS, 0x5, 7, new H2Frames().indexed(2).indexed(6).literal(4, null, "/reset", false).bytes()),
                frame(RST_STREAM, 0, 7, new byte[] {0, 0, 0, 8}));
        CONVERSATION = List.of(new Msg(true, client1), new Msg(false, server1), new Msg(true, client2));
    }

    @Test
    void streamsAtEverySplitPoint() {
        List<String> events = TransactionSplitPointTest.everySplitPoint(HttpDissector::new, 80, CONVERSATION);
        assertThat(events).hasSize(4);
        assertThat(events.get(0)).contains("http.stream_id=1", "http.method=GET", "http.url=/a,", "http.host=www.example.test,",
                "http.version=HTTP/2", "http.user_agent=split/2", "http.status=200", "http.content_type=text/plain",
                "http.server=h2test", "http.response_bytes=3").doesNotContain("alice");
        assertThat(events.get(1)).contains("http.stream_id=3", "http.method=POST", "http.url=/p", "http.host=www.example.test,",
                "http.user_agent=split/2", "http.request_bytes=5", "http.status=404", "http.content_type=text/plain", "http.response_bytes=0");
        assertThat(events.get(2)).contains("http.stream_id=7", "http.url=/reset").doesNotContain("http.status");
        assertThat(events.get(3)).contains("http.stream_id=5", "http.url=/never").doesNotContain("http.status");
    }

    @Test
    void ntlmInAnAuthorizationHeaderAtEverySplitPoint() {
        String auth = "NTLM " + java.util.Base64.getEncoder().encodeToString(SmbSplitPointTest.ntlmAuthenticate("EXAMPLE", "carol", "KIOSK-3"));
        byte[] get = new H2Frames().indexed(2).indexed(6).literal(4, null, "/private", false).literal(23, null, auth, true).bytes();
        List<Msg> conversation = List.of(new Msg(true, concat(H2Frames.preface(), frame(SETTINGS, 0, 0, new byte[0]), frame(HEADERS, 0x5, 1, get))),
                new Msg(false, concat(frame(SETTINGS, 0, 0, new byte[0]), frame(HEADERS, 0x5, 1, new H2Frames().indexed(8).bytes()))));
        List<String> events = TransactionSplitPointTest.everySplitPoint(HttpDissector::new, 80, conversation);
        assertThat(events).hasSize(1);
        assertThat(events.get(0)).contains("http.stream_id=1", "http.url=/private", "ntlm.user=carol", "ntlm.domain=EXAMPLE",
                "ntlm.workstation=KIOSK-3", "http.status=200");
    }

    @Test
    void withoutEventsTheFlowHasTheFirstRequestAndResponse() {
        TestFlow f = TestFlow.tcp(new HttpDissector(), 80);
        for (Msg m : CONVERSATION) {
            f.feed(m.fromClient(), m.bytes());
        }
        f.end();
        assertThat(f.events).isEmpty();
        assertThat(f.protocol).isEqualTo("HTTP2");
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("http.version", "HTTP/2").containsEntry("http.method", "GET").containsEntry("http.url", "/a")
                .containsEntry("http.host", "www.example.test").containsEntry("http.status", 200L).containsEntry("http.server", "h2test");
        assertThat(f.host).isEqualTo("www.example.test");
    }

    @Test
    void serverSettingsFirstThenAnHttp1ClientIsHttp1() {
        TestFlow f = TestFlow.tcp(new HttpDissector(), 80);
        f.feed(false, frame(SETTINGS, 0, 0, new byte[] {0, 3, 0, 0, 0, 100}));
        f.feed(true, b("GET / HTTP/1.1\r\nHost: h.test\r\n\r\n"));
        assertThat(f.protocol).isEqualTo("HTTP");
        assertThat(f.meta).containsEntry("http.host", "h.test").doesNotContainKey("http.version");
    }

    @Test
    void notAPreface() {
        TestFlow f = TestFlow.tcp(new HttpDissector(), 80);
        assertThat(f.feed(true, b("PRI * HTTP/2.0\r\n\r\nXM\r\n\r\n"))).isEqualTo(Dissector.NO);
    }
}
