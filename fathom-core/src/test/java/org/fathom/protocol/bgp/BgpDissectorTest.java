package org.fathom.protocol.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;
import static org.fathom.protocol.apptest.Bytes.repeat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class BgpDissectorTest {
    @Test
    void openAtEverySplit() {
        byte[] open = cat(repeat(0xFF, 16), hex("001d 01 04 fde8 00b4 c0000201 00"));
        TestFlow f = Splits.check(BgpDissector::new, d -> TestFlow.tcp(d, 179), List.of(Msg.c(open)));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("bgp.message", "OPEN");
    }

    @Test
    void keepaliveAndBadOnes() {
        assertThat(TestFlow.tcp(new BgpDissector(), 179).client(cat(repeat(0xFF, 16), hex("0013 04"))).meta).containsEntry("bgp.message", "KEEPALIVE");
        assertThat(TestFlow.tcp(new BgpDissector(), 179).client(cat(repeat(0xFF, 16), hex("0013 09"))).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new BgpDissector(), 179).client(cat(repeat(0xFF, 16), hex("001d 01 03 fde8 00b4 c0000201 00"))).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new BgpDissector(), 179).client(cat(repeat(0xFF, 15), hex("00 0013 04"))).verdict).isEqualTo(Dissector.NO);
    }
}
