package org.fathom.protocol.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class SyslogDissectorTest {
    private final SyslogDissector d = new SyslogDissector();

    @Test
    void bsdAndRfc5424Forms() {
        TestFlow c = TestFlow.udp(514);
        assertThat(c.feed(d, true, "<13>Nov 29 12:00:00 host user: hello")).isEqualTo(Dissector.DONE);
        assertThat(c.meta).containsEntry("syslog.facility", 1L).containsEntry("syslog.severity", 5L);
        assertThat(TestFlow.udp(40000).feed(d, true, "<165>1 2003-10-11T22:14:15.003Z host app - ID47 - msg")).isEqualTo(Dissector.DONE);
        assertThat(TestFlow.udp(40000).feed(d, true, "<13>Nov 29 12:00:00 host user: hello")).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(514).feed(d, true, "52 <34>1 2003-10-11T22:14:15.003Z mymachine su - - - x")).isEqualTo(Dissector.DONE);
    }

    @Test
    void priorityMustBeValid() {
        for (String bad : new String[] {"<192>x", "<013>x", "<>x", "<1a>x", "<1234>x", "<13>\u0001"}) {
            assertThat(TestFlow.udp(514).feed(d, true, bad)).as(bad).isEqualTo(Dissector.NO);
        }
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(514).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            assertThat(TestFlow.tcp(514).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        assertThat(TestFlow.tcp(514).feed(d, true, "1022\u0000")).isEqualTo(Dissector.NO); // rsh
        DissectorChecks.neverThrows(d, 514, 12, DissectorChecks.ascii("<13>Nov 29 host x"));
    }
}
