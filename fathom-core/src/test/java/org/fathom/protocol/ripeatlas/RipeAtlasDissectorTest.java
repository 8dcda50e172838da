package org.fathom.protocol.ripeatlas;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class RipeAtlasDissectorTest {
    private static int verdict(String payload) {
        return TestFlow.udp(new RipeAtlasDissector(), 38409).client(DissectorChecks.ascii(payload)).verdict;
    }

    @Test
    void probesFromRipeAtlasPcap() {
        // the datagrams of the corpus capture ripe_atlas.pcap (its addresses are anonymised)
        assertThat(verdict("MGLNDD_11.111.11.111_1113")).isEqualTo(Dissector.DONE);
        assertThat(verdict("MGLNDD_192.0.2.7_53\n")).isEqualTo(Dissector.DONE);
        assertThat(verdict("MGLNDD_2001:db8::1_443\r\n")).isEqualTo(Dissector.DONE);
    }

    @Test
    void otherTextIsRefused() {
        for (String s : new String[] {"MGLNDD_", "MGLNDD_1.2.3.4_", "MGLNDD_1.2.3.4_123456", "MGLNDD_host_80", "MGLNDD_1.2.3.4:80",
                "MGLNDD_1.2.3.4_80 extra", "mglndd_1.2.3.4_80", "MGLNDX_1.2.3.4_80"}) {
            assertThat(verdict(s)).as(s).isEqualTo(Dissector.NO);
        }
        for (String o : Bytes.OTHERS) {
            assertThat(verdict(o)).as(o).isEqualTo(Dissector.NO);
        }
        assertThat(TestFlow.tcp(new RipeAtlasDissector(), 80).client(DissectorChecks.ascii("MGLNDD_1.2.3.4_80")).verdict)
                .isEqualTo(Dissector.NO);
        assertThat(DissectorChecks.neverThrows(new RipeAtlasDissector(), 38409, 3, DissectorChecks.ascii("MGLNDD_11.111.11.111_1113\n")))
                .isPositive();
    }
}
