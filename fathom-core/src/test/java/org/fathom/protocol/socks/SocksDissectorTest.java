package org.fathom.protocol.socks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.apptest.Golden;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

class SocksDissectorTest {
    @Test
    void socks5WithPasswordAtEverySplit() {
        TestFlow f = Splits.check(SocksDissector::new, d -> TestFlow.tcp(d, 1080), List.of(
                Msg.c(hex("05020002")), Msg.s(hex("0502")),
                Msg.c(cat(hex("0105"), ascii("alice"), hex("06"), ascii("secret"))), Msg.s(hex("0100")),
                Msg.c(cat(hex("050100030f"), ascii("www.example.org"), hex("01bb"))),
                Msg.s(hex("05000001000000000000"))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("socks.version", 5L).containsEntry("socks.host", "www.example.org");
        assertThat(f.host).isEqualTo("www.example.org");
        assertThat(f.risks).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(f.meta.toString()).doesNotContain("secret").doesNotContain("alice");
    }

    @Test
    void socks4aAtEverySplit() {
        TestFlow f = Splits.check(SocksDissector::new, d -> TestFlow.tcp(d, 1080), List.of(
                Msg.c(cat(hex("04010050 00000001"), ascii("bob\0example.com\0"))), Msg.s(hex("005a000000000000"))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("socks.version", 4L).containsEntry("socks.host", "example.com");
    }

    @Test
    void methodNotOfferedOrNoReplyIsNotSocks() {
        TestFlow f = TestFlow.tcp(new SocksDissector(), 1080).client(hex("050100")).server(hex("0502"));
        assertThat(f.verdict).isEqualTo(Dissector.NO);
        TestFlow g = TestFlow.tcp(new SocksDissector(), 1080).client(cat(hex("04010050 00000001"), ascii("bob\0example.com\0")));
        assertThat(g.matched).isFalse();
        assertThat(g.meta).isEmpty();
        assertThat(g.host).isNull();
    }

    @Test
    void goldenOpenSshDynamicForward() throws Exception {
        List<FlowRecord> flows = Golden.flows("socks/socks.pcap");
        assertThat(flows).hasSize(2).allSatisfy(r -> {
            assertThat(r.protocol()).isEqualTo("SOCKS");
            assertThat(r.confidence()).isEqualTo("DPI");
            assertThat(r.metadata()).containsEntry("socks.host", "localhost");
        });
        assertThat(flows).extracting(r -> r.metadata().get("socks.version")).containsExactly(5L, 4L);
    }
}
