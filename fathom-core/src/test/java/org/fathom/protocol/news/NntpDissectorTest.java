package org.fathom.protocol.news;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.monitoring.KismetDissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** NNTP on RFC 3977's own examples (section 5.1.1 greeting, 5.2 CAPABILITIES), and Kismet's greeting. */
class NntpDissectorTest {
    static final String GREETING = "200 NNTP Service Ready, posting permitted\r\n";

    @Test
    void greetingAndCommandAtEverySplit() {
        TestFlow f = Splits.check(NntpDissector::new, d -> TestFlow.tcp(d, 8119),
                List.of(Msg.s(GREETING), Msg.c("CAPABILITIES\r\n"), Msg.s("101 Capability list:\r\nVERSION 2\r\n.\r\n")));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).isEmpty();
        // on the news ports the greeting alone decides
        assertThat(TestFlow.tcp(new NntpDissector(), 119).server(DissectorChecks.ascii("201 NNTP Service Ready, posting prohibited\r\n")).matched)
                .isTrue();
    }

    @Test
    void notNntp() {
        assertThat(Splits.whole(NntpDissector::new, d -> TestFlow.tcp(d, 8119), List.of(Msg.s(GREETING), Msg.c("EHLO me\r\n"))).verdict)
                .isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new NntpDissector(), 119).server(DissectorChecks.ascii("220 mail.example.com ESMTP\r\n")).verdict)
                .isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new NntpDissector(), 119).client(DissectorChecks.ascii("GROUP misc.test\r\n")).verdict).isEqualTo(Dissector.NO);
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.tcp(new NntpDissector(), 119).server(DissectorChecks.ascii(o)).verdict).as(o).isNotEqualTo(Dissector.DONE);
        }
        DissectorChecks.neverThrows(new NntpDissector(), 119, 19, DissectorChecks.ascii(GREETING), DissectorChecks.ascii("GROUP misc.test\r\n"));
    }

    @Test
    void kismetGreeting() {
        TestFlow f = Splits.check(KismetDissector::new, d -> TestFlow.tcp(d, 2501),
                List.of(Msg.s("*KISMET: 0.0.0 1104444555 kismet 0.0 2\n*PROTOCOLS: KISMET,ERROR,ACK\n"), Msg.c("!1 ENABLE NETWORK bssid\n")));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(TestFlow.tcp(new KismetDissector(), 2501).server(DissectorChecks.ascii("*KISMAT: x\n")).verdict).isEqualTo(Dissector.NO);
        DissectorChecks.neverThrows(new KismetDissector(), 2501, 20, DissectorChecks.ascii("*KISMET: 0.0.0 1 k 0.0 2\n"));
    }
}
