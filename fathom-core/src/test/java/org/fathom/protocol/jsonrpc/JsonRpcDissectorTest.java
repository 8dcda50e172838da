package org.fathom.protocol.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.ascii;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.http.HttpDissector;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Sample;
import org.fathom.protocol.samples.Samples;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** JSON-RPC 2.0: the specification's examples (jsonrpc.org/specification, section 7), over TCP and HTTP. */
class JsonRpcDissectorTest {
    static final String CALL = "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}\n";
    static final String RESULT = "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}\n";

    private static boolean tcp(String... clientThenServer) {
        List<org.fathom.protocol.samples.Msg> msgs = new java.util.ArrayList<>();
        for (int i = 0; i < clientThenServer.length; i++) {
            msgs.add(i % 2 == 0 ? Msg.c(ascii(clientThenServer[i])) : Msg.s(ascii(clientThenServer[i])));
        }
        return Drive.run(new JsonRpcDissector(), new TestFlow(6, 50000, 4711), msgs).recognised();
    }

    private static boolean serverFirst(String s) {
        return Drive.run(new JsonRpcDissector(), new TestFlow(6, 50000, 4711), List.of(Msg.s(ascii(s)))).recognised();
    }

    @Test
    void theSpecificationsExamplesAreJsonRpc() {
        assertThat(tcp(CALL, RESULT)).isTrue();
        assertThat(tcp("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}")).isTrue();   // notification
        assertThat(tcp("{\"id\": \"1\", \"params\": [\"a\\\"}\", {\"x\": [1, {\"y\": null}]}], \"jsonrpc\": \"2.0\", \"method\": \"foobar\"}"))
                .isTrue();   // members in any order, nested values and escapes skipped
        assertThat(tcp("[\n  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"}\n]")).isTrue();   // batch
        assertThat(serverFirst("{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"1\"}"))
                .isTrue();
        assertThat(serverFirst(RESULT)).isTrue();
        assertThat(tcp("Content-Length: 52\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}")).isTrue();   // LSP base protocol
    }

    @Test
    void otherJsonIsNot() {
        assertThat(tcp("{\"jsonrpc\": \"1.0\", \"method\": \"subtract\", \"id\": 1}")).isFalse();         // not the 2.0 string
        assertThat(tcp("{\"jsonrpc\": 2.0, \"method\": \"subtract\", \"id\": 1}")).isFalse();
        assertThat(tcp("{\"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}")).isFalse();          // JSON-RPC 1.0: no member
        assertThat(tcp("{\"jsonrpc\": \"2.0\", \"id\": 1}")).isFalse();                                    // neither call nor answer
        assertThat(tcp("{\"jsonrpc\": \"2.0\", \"method\": 5, \"id\": 1}")).isFalse();
        assertThat(serverFirst("{\"jsonrpc\": \"2.0\", \"error\": null}")).isFalse();
        assertThat(tcp("{\"params\": {\"jsonrpc\": \"2.0\", \"method\": \"x\"}, \"id\": 1}")).isFalse();  // nested, not the message's
        assertThat(tcp("{\"jsonrpc\" \"2.0\", \"method\": \"x\"}")).isFalse();                             // syntax
        assertThat(tcp("{\"jsonrpc\": \"2.0\", \"meth\u0001od\": \"x\"}")).isFalse();                    // raw control character
        assertThat(tcp("{\"query\": {\"match_all\": {}}}")).isFalse();
        assertThat(tcp("Content-Length: 12\r\n\r\n{\"a\": \"b\"}\n")).isFalse();
        assertThat(tcp("Content-Length: x\r\n\r\n" + CALL)).isFalse();
        // Stratum mining's calls are Mining's, even with the 2.0 member
        assertThat(tcp("{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"x\",\"pass\":\"x\",\"agent\":\"XMRig/6.21\"}}\n"))
                .isFalse();
        assertThat(tcp("{\"id\": 1, \"jsonrpc\": \"2.0\", \"method\": \"mining.subscribe\", \"params\": []}\n")).isFalse();
        // not over UDP
        assertThat(Drive.run(new JsonRpcDissector(), new TestFlow(17, 50000, 4711), List.of(Msg.c(ascii(CALL)))).recognised()).isFalse();
    }

    @Test
    void theVerdictDoesNotDependOnSegmentation() {
        TestFlow f = Splits.check(JsonRpcDissector::new, d -> TestFlow.tcp(d, 4711), List.of(org.fathom.protocol.apptest.Msg.c(ascii(CALL)), org.fathom.protocol.apptest.Msg.s(ascii(RESULT))));
        assertThat(f.matched).isTrue();
        TestFlow g = Splits.check(JsonRpcDissector::new, d -> TestFlow.tcp(d, 2087),
                List.of(org.fathom.protocol.apptest.Msg.c(ascii("Content-Length: 46\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}"))));
        assertThat(g.matched).isTrue();
    }

    @Test
    void refusesOtherProtocolsSamples() {
        for (List<Sample> set : List.of(Samples.all(), Samples.foreign())) {
            for (Sample s : set) {
                if (!"JSON-RPC".equals(s.expect()) && s.l4() == 6) {
                    assertThat(Drive.run(new JsonRpcDissector(), s.flowOn(4711), s.msgs()).recognised()).as(s.label()).isFalse();
                }
            }
        }
        assertThat(DissectorChecks.neverThrows(new JsonRpcDissector(), 4711, 5, ascii(CALL), ascii(RESULT))).isPositive();
    }

    @Test
    void overHttpByMediaTypeOrBody() {
        HttpDissector http = new HttpDissector();
        String body = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[],\"id\":83}";
        TestFlow f = TestFlow.tcp(8545);
        f.feed(http, true, "POST / HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(f.protocol).isEqualTo("HTTP");
        assertThat(f.application).isEqualTo("JSON-RPC");
        // the body in the next segment
        TestFlow g = TestFlow.tcp(8545);
        g.feed(http, true, "POST / HTTP/1.1\r\nHost: node\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n");
        g.feed(http, true, body);
        assertThat(g.application).isEqualTo("JSON-RPC");
        TestFlow m = TestFlow.tcp(80);
        m.feed(http, true, "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json-rpc\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(m.application).isEqualTo("JSON-RPC");
        // other JSON posts stay plain HTTP
        TestFlow o = TestFlow.tcp(9200);
        o.feed(http, true, "POST /_search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 31\r\n\r\n{\"query\": {\"match_all\": {}}}  ");
        assertThat(o.application).isNull();
        TestFlow gq = TestFlow.tcp(80);
        gq.feed(http, true, "GET /?q={\"jsonrpc\":\"2.0\",\"method\":\"x\"} HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(gq.application).isNull();
    }

    @Property(tries = 300)
    void neverThrows(@ForAll @Size(max = 6) List<@Size(max = 300) byte[]> chunks, @ForAll List<Boolean> sides) {
        JsonRpcDissector d = new JsonRpcDissector();
        TestFlow f = new TestFlow(6, 50000, 4711);
        for (int i = 0; i < chunks.size(); i++) {
            byte[] b = chunks.get(i);
            if (b.length == 0) {
                continue;
            }
            int r = d.inspect(f, i >= sides.size() || sides.get(i), b, 0, b.length);
            assertThat(r).isBetween(Dissector.NO, Dissector.DONE);
            if (r == Dissector.NO || r == Dissector.DONE) {
                break;
            }
        }
    }

    @Property(tries = 300)
    void jsonPrefixesNeverThrow(@ForAll @Size(max = 200) String s) {
        byte[] b = ascii("{\"jsonrpc\": \"2.0\", " + s);
        assertThat(JsonRpcMessage.judge(b, 0, b.length)).isBetween(Dissector.NO, Dissector.DONE);
    }
}
