package org.fathom.protocol.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class TincDissectorTest {
    @Test
    void idRequestsFromTincPcapAtEverySplit() {
        // the first lines of both sides in the corpus capture tinc.pcap
        TestFlow f = Splits.check(TincDissector::new, d -> TestFlow.tcp(d, 55655),
                List.of(Msg.c("0 thinkk 17\n"), Msg.s("0 iniz 17\n")));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(Splits.check(TincDissector::new, d -> TestFlow.tcp(d, 655), List.of(Msg.c("0 t 17.7\n"))).verdict)
                .isEqualTo(Dissector.DONE);
    }

    @Test
    void notTinc() {
        for (String s : new String[] {"0 thinkk 16\n", "0  17\n", "1 429 672 0 0\n", "0 a-b 17\n", "0 x 17x\n"}) {
            assertThat(TestFlow.tcp(new TincDissector(), 655).client(DissectorChecks.ascii(s)).verdict).as(s).isEqualTo(Dissector.NO);
        }
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.tcp(new TincDissector(), 655).client(DissectorChecks.ascii(o)).verdict).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(new TincDissector(), 655, 8, DissectorChecks.ascii("0 thinkk 17\n"));
    }
}
