package org.fathom.protocol.rsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class RsyncDissectorTest {
    @Test
    void greetingsAtEverySplit() {
        TestFlow f = Splits.check(RsyncDissector::new, d -> TestFlow.tcp(d, 873), List.of(Msg.s("@RSYNCD: 31.0 sha512 sha256\n"), Msg.c("@RSYNCD: 30.0\n")));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("rsync.version", "31.0");
    }

    @Test
    void notRsync() {
        assertThat(TestFlow.tcp(new RsyncDissector(), 873).server(Msg.s("@RSYNCD: x\n").bytes()).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new RsyncDissector(), 873).server(Msg.s("@RSYNC").bytes()).verdict).isEqualTo(Dissector.NEED_MORE);
        assertThat(TestFlow.tcp(new RsyncDissector(), 873).server(Msg.s("RSYNCD: 31.0\n").bytes()).verdict).isEqualTo(Dissector.NO);
    }
}
