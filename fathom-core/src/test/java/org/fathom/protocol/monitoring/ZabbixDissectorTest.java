package org.fathom.protocol.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class ZabbixDissectorTest {
    /** The Zabbix manual's example: a passive check "agent.ping" and the answer "1", each with the ZBXD header. */
    static byte[] message(String data, int flags) {
        byte[] d = DissectorChecks.ascii(data);
        return Bytes.of().ascii("ZBXD").u8(flags).u8(d.length, 0, 0, 0).u8(0, 0, 0, 0).bytes(d).get();
    }

    @Test
    void requestAndAnswerAtEverySplit() {
        TestFlow f = Splits.check(ZabbixDissector::new, d -> TestFlow.tcp(d, 10050), List.of(Msg.c(message("agent.ping", 1)), Msg.s(message("1", 1))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        // an old agent answering without the header: the request decided
        TestFlow old = Splits.check(ZabbixDissector::new, d -> TestFlow.tcp(d, 10050), List.of(Msg.c(message("agent.ping", 1)), Msg.s("1")));
        assertThat(old.matched).isTrue();
    }

    @Test
    void notZabbix() {
        assertThat(TestFlow.tcp(new ZabbixDissector(), 10051).client(message("x", 0x10)).verdict).isEqualTo(Dissector.NO);
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.tcp(new ZabbixDissector(), 10051).client(DissectorChecks.ascii(o)).verdict).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(new ZabbixDissector(), 10051, 17, message("agent.ping", 1), message("{\"request\":\"active checks\"}", 3));
    }
}
