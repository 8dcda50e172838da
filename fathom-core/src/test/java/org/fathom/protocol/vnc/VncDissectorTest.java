package org.fathom.protocol.vnc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class VncDissectorTest {
    @Test
    void versionExchangeAtEverySplit() {
        TestFlow f = Splits.check(VncDissector::new, d -> TestFlow.tcp(d, 5900), List.of(Msg.s("RFB 003.008\n"), Msg.c("RFB 003.008\n")));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("vnc.server_version", "003.008").containsEntry("vnc.client_version", "003.008");
    }

    @Test
    void notVnc() {
        assertThat(TestFlow.tcp(new VncDissector(), 5900).server(Msg.s("RFB 3.8\n\n\n\n\n").bytes()).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new VncDissector(), 5900).client(Msg.c("RFB 003.008\n").bytes()).verdict).isEqualTo(Dissector.NO);
    }
}
