package org.fathom.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class HttpDissectorTest {
    static final String REQ = "GET /index.html?user=alice&token=s3cret#top HTTP/1.1\r\n"
            + "Host: www.example.org:8080\r\n"
            + "User-Agent: curl/8.5.0\r\n"
            + "Accept: */*\r\n\r\n";
    static final String POST = "POST /submit HTTP/1.1\r\nHost: www.example.org\r\nContent-Length: 11\r\n\r\nhello=world";
    static final String CHUNKED = "PUT /up HTTP/1.1\r\nHost: www.example.org\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n";
    static final String RESP = "HTTP/1.1 404 Not Found\r\nServer: SimpleHTTP/0.6 Python/3.12\r\n"
            + "Content-Type: text/html;charset=utf-8\r\n"
            + "Content-Length: 5\r\n\r\nerror";

    private final HttpDissector d = new HttpDissector();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void requestAndResponse() {
        TestFlow c = TestFlow.tcp(80);
        assertThat(c.feed(d, true, REQ)).isEqualTo(Dissector.MATCH);
        assertThat(c.feed(d, false, RESP)).isEqualTo(Dissector.MATCH);
        assertThat(c.protocol).isEqualTo("HTTP");
        assertThat(c.meta).containsEntry("http.method", "GET")
                .containsEntry("http.host", "www.example.org")
                .containsEntry("http.url", "/index.html")
                .containsEntry("http.user_agent", "curl/8.5.0")
                .containsEntry("http.status", 404L)
                .containsEntry("http.server", "SimpleHTTP/0.6 Python/3.12")
                .containsEntry("http.content_type", "text/html;charset=utf-8")
                .containsEntry("http.requests", 1L);
        assertThat(c.host).isEqualTo("www.example.org");
        assertThat(c.risks).containsExactly(Risk.HTTP_ERROR);
        assertThat(c.meta.values().toString()).doesNotContain("alice").doesNotContain("s3cret");
    }

    @Test
    void keepAliveAndPipelinedRequestsAreCounted() {
        TestFlow c = TestFlow.tcp(80);
        c.feed(d, true, REQ + POST + CHUNKED + REQ);
        assertThat(c.meta).containsEntry("http.requests", 4L).containsEntry("http.method", "GET");
        c.feed(d, true, POST);
        assertThat(c.meta).containsEntry("http.requests", 5L);
    }

    @Test
    void everySplitPointGivesTheSameResult() {
        String client = REQ + POST + CHUNKED + "GET / HTTP/1.0\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n";
        String server = "HTTP/1.1 100 Continue\r\n\r\n" + RESP;
        Map<String, Object> whole = run(b(client), b(server), client.length(), server.length());
        assertThat(whole).containsEntry("http.requests", 4L).containsEntry("http.status", 404L);
        byte[] cb = b(client);
        byte[] sb = b(server);
        for (int k = 1; k < cb.length; k++) {
            assertThat(run(cb, sb, k, Math.min(k, sb.length))).as("split at %d", k).isEqualTo(whole);
        }
        assertThat(run(cb, sb, 1, 1)).isEqualTo(whole); // (k == 1 splits once; now byte by byte)
        assertThat(byteByByte(cb, sb)).isEqualTo(whole);
    }

    private Map<String, Object> run(byte[] client, byte[] server, int k, int ks) {
        TestFlow c = TestFlow.tcp(80);
        c.feed(d, true, client, 0, k);
        c.feed(d, true, client, k, client.length - k);
        c.feed(d, false, server, 0, ks);
        c.feed(d, false, server, ks, server.length - ks);
        assertThat(c.matched).isTrue();
        return withRisks(c);
    }

    private Map<String, Object> byteByByte(byte[] client, byte[] server) {
        TestFlow c = TestFlow.tcp(80);
        for (int i = 0; i < client.length; i++) {
            c.feed(d, true, client, i, 1);
        }
        for (int i = 0; i < server.length; i++) {
            c.feed(d, false, server, i, 1);
        }
        return withRisks(c);
    }

    private static Map<String, Object> withRisks(TestFlow c) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(c.meta);
        m.put("risks", c.risks.toString());
        m.put("protocol", c.protocol);
        return m;
    }

    @Test
    void soapRequestsNameSoapAtEverySplit() {
        // SOAP 1.1 (section 6.1.1): a POST with a SOAPAction header, here an empty one
        String soap = "POST /Apc/RemoteService HTTP/1.1\r\nSOAPAction: \r\nContent-Type: text/xml\r\nHost: 10.0.0.1:8091\r\n"
                + "Content-Length: 20\r\n\r\n<soapenv:Envelope/>\n";
        byte[] sb = b(soap);
        for (int k = 1; k < sb.length; k++) {
            TestFlow c = TestFlow.tcp(8091);
            c.feed(d, true, sb, 0, k);
            c.feed(d, true, sb, k, sb.length - k);
            assertThat(c.application).as("split at %d", k).isEqualTo("SOAP");
        }
        for (String other : new String[] {POST, REQ, "GET /svc HTTP/1.1\r\nSOAPAction: x\r\nHost: a\r\n\r\n"}) {
            TestFlow c = TestFlow.tcp(80);
            c.feed(d, true, other);
            assertThat(c.application).as(other).isNull();
        }
    }

    @Test
    void basicAuthorizationRaisesARiskAndIsNotKept() {
        TestFlow c = TestFlow.tcp(80);
        c.feed(d, true, "GET /a HTTP/1.1\r\nHost: 10.1.2.3\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n");
        assertThat(c.risks).contains(Risk.CLEARTEXT_CREDENTIALS, Risk.NUMERIC_HOST);
        assertThat(c.meta.toString()).doesNotContain("dXNlcjpwYXNz");
    }

    @Test
    void absoluteFormIsProxyAndConnectIsHttpConnect() {
        TestFlow c = TestFlow.tcp(8080);
        c.feed(d, true, "POST http://user:pw@hk.example.com/cgi-bin/x?id=1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assertThat(c.protocol).isEqualTo("HTTP_Proxy");
        assertThat(c.meta).containsEntry("http.host", "hk.example.com").containsEntry("http.url", "/cgi-bin/x");
        assertThat(c.meta.toString()).doesNotContain("pw");

        TestFlow t = TestFlow.tcp(8080);
        t.feed(d, true, "CONNECT apache.org:443 HTTP/1.1\r\nHost: apache.org:443\r\n\r\n");
        assertThat(t.feed(d, false, "HTTP/1.1 200 Connection established\r\n\r\n")).isEqualTo(Dissector.DONE);
        assertThat(t.protocol).isEqualTo("HTTP_Connect");
        assertThat(t.host).isEqualTo("apache.org");
    }

    @Test
    void spacesInTheTargetAreTolerated() {
        TestFlow c = TestFlow.tcp(8080);
        c.feed(d, true, "GET /cgi-bin/x;cat /etc/passwd|?data=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(c.matched).isTrue();
        assertThat(c.meta).containsEntry("http.url", "/cgi-bin/x;cat /etc/passwd|");
    }

    @Test
    void responseFirstIsRecognised() {
        TestFlow c = TestFlow.tcp(80);
        assertThat(c.feed(d, false, RESP)).isEqualTo(Dissector.MATCH);
        assertThat(c.meta).containsEntry("http.status", 404L);
    }

    @Test
    void otherProtocolsAreRejected() {
        String[] others = {
            "SSH-2.0-OpenSSH_9.6\r\n", "\u0016\u0003\u0001\u0002\u0000\u0001", "OPTIONS sip:bob@example.com SIP/2.0\r\n",
            "OPTIONS rtsp://example.com/media RTSP/1.0\r\nCSeq: 1\r\n\r\n", "GNUTELLA CONNECT/0.6\r\n",
            "220 smtp.example.com ESMTP\r\n", "GETX / HTTP/1.1\r\n", "GET  HTTP/1.1\r\n\r\n", "\u0013BitTorrent protocol",
            "RTSP/1.0 200 OK\r\n",
        };
        for (String o : others) {
            TestFlow c = TestFlow.tcp(80);
            c.feed(d, true, o);
            TestFlow s = TestFlow.tcp(80);
            s.feed(d, false, o);
            assertThat(c.verdict).as(o).isEqualTo(Dissector.NO);
            assertThat(s.verdict).as(o).isEqualTo(Dissector.NO);
        }
    }

    @Test
    void headOverTheCapStopsThatSideOnly() {
        TestFlow c = TestFlow.tcp(80);
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
        while (sb.length() < HttpDissector.MAX_HEAD + 10) {
            sb.append("X-Filler: 0123456789012345678901234567890123456789\r\n");
        }
        c.feed(d, true, sb.toString());
        assertThat(c.verdict).isEqualTo(Dissector.MATCH); // matched on the line, then gave up the side
        assertThat(c.feed(d, false, "HTTP/1.1 200 OK\r\n\r\n")).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("http.status", 200L);
    }

    @Property(tries = 300)
    void randomBytesNeverThrow(@ForAll @Size(max = 600) byte[] junk, @ForAll boolean fromClient) {
        TestFlow c = TestFlow.tcp(80);
        d.inspect(c, fromClient, junk, 0, junk.length);
        d.inspect(c, !fromClient, junk, 0, junk.length);
    }

    @Property(tries = 300)
    void mutatedMessagesNeverThrow(@ForAll("mutations") byte[] msg) {
        TestFlow c = TestFlow.tcp(80);
        int half = msg.length / 2;
        c.feed(d, true, msg, 0, half);
        c.feed(d, true, msg, half, msg.length - half);
        c.feed(d, false, msg, 0, msg.length);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<byte[]> mutations() {
        byte[] base = b(REQ + CHUNKED + POST);
        return net.jqwik.api.Arbitraries.integers().between(0, base.length - 1).list().ofMaxSize(8)
                .flatMap(pos -> net.jqwik.api.Arbitraries.bytes().list().ofSize(pos.size()).map(vals -> {
                    byte[] m = base.clone();
                    for (int i = 0; i < pos.size(); i++) {
                        m[pos.get(i)] = vals.get(i);
                    }
                    return m;
                }));
    }
}
