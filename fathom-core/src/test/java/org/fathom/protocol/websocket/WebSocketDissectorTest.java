package org.fathom.protocol.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class WebSocketDissectorTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    // the first four frames of the corpus capture websocket.pcap (the server speaks first, unmasked;
    // the client masks): "Welcome, 192.168.43.1 !", a masked text, a chat line, a masked text
    static final byte[] S1 = hex("8117 57656c636f6d652c203139322e3136382e34332e312021");
    static final byte[] C1 = hex("818c e17e8eb9 951bfdcdc113ebca921fe9dc");
    static final byte[] S2 = hex("8132 32313a33333a35322028273139322e3136382e34332e31272c20353039393929207361793a2074657374206d657373616765");
    static final byte[] C2 = hex("818f b7cefd57 dfab913bd8ee8a32d5bd9234dcab89");

    private static TestFlow run(List<Msg> msgs) {
        return Splits.check(WebSocketDissector::new, d -> TestFlow.tcp(d, 12345), msgs);
    }

    @Test
    void framesFromWebsocketPcapAtEverySplit() {
        assertThat(run(List.of(Msg.s(S1), Msg.c(C1), Msg.s(S2), Msg.c(C2))).verdict).isEqualTo(Dissector.DONE);
        // either side may be the one that masks; several frames in one segment
        assertThat(run(List.of(Msg.c(S1), Msg.s(C1), Msg.c(S2), Msg.s(cat(C2, hex("8a80 00000000"))))).verdict).isEqualTo(Dissector.DONE);
        // one frame per direction is not enough
        assertThat(run(List.of(Msg.s(S1), Msg.c(C1))).verdict).isEqualTo(Dissector.NEED_MORE);
    }

    @Test
    void ambiguousOrBrokenFramingIsRefused() {
        // both directions unmasked
        assertThat(run(List.of(Msg.s(S1), Msg.c(S2), Msg.s(S1), Msg.c(S2))).verdict).isEqualTo(Dissector.NO);
        // masking changes within a direction
        assertThat(run(List.of(Msg.s(S1), Msg.c(C1), Msg.s(C2))).verdict).isEqualTo(Dissector.NO);
        // a length that does not fit the bytes: the next "header" is payload
        assertThat(run(List.of(Msg.s(hex("8102 4142 43")), Msg.c(C1), Msg.c(C2))).verdict).isEqualTo(Dissector.NO);
        // a continuation with no message open, an oversized ping, reserved opcode, RSV2
        for (String h : new String[] {"8003414243", "897e00c8", "8300", "a100", "0100"}) {
            assertThat(TestFlow.tcp(new WebSocketDissector(), 80).server(hex(h)).verdict).as(h).isEqualTo(Dissector.NO);
        }
        for (String o : Bytes.OTHERS) {
            byte[] b = DissectorChecks.ascii(o);
            assertThat(TestFlow.tcp(new WebSocketDissector(), 80).client(b).verdict).as(o).isEqualTo(Dissector.NO);
        }
    }

    @Property
    void neverThrows(@ForAll @Size(max = 300) byte[] junk, @ForAll boolean fromClient) {
        TestFlow f = TestFlow.tcp(new WebSocketDissector(), 12345);
        f.feed(!fromClient, S1);
        f.feed(fromClient, junk);
        f.feed(!fromClient, junk);
    }

    @Test
    void mutatedFramesNeverThrow() {
        assertThat(DissectorChecks.neverThrows(new WebSocketDissector(), 12345, 7, S1, C1, S2, C2)).isPositive();
    }

    private static byte[] cat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
