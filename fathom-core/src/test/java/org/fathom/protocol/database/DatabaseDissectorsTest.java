package org.fathom.protocol.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** DRDA (bytes of the corpus capture drda_db2.pcap) and Oracle TNS (a CONNECT built as the protocol documents it). */
class DatabaseDissectorsTest {
    /** drda_db2.pcap: EXCSAT request (first 24 bytes) and its reply (first 24 bytes). */
    static final String EXCSAT = "0089d0410001008310410039115e8482f29183836d81979793898381";
    static final String EXCSATRD = "005bd0430001005514430018115e8482f28482f281878595a3f0f0f0";

    static byte[] tnsConnect(String descriptor) {
        byte[] data = descriptor.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int header = 58;
        // header: length, checksum, type 1 CONNECT, reserved, header checksum; then version 314,
        // lowest 300, services, SDU 8192, TDU 32767, ..., data length and offset 58
        return Bytes.of().u16(header + data.length).u16(0).u8(1, 0).u16(0)
                .u16(314).u16(300).u16(0x0c41).u16(8192).u16(32767).u16(0x4f98).u16(0).u16(1)
                .u16(data.length).u16(header).u32(0).u8(0x41, 0x41).zeros(24).bytes(data).get();
    }

    @Test
    void drdaAtEverySplit() {
        TestFlow f = Splits.check(DrdaDissector::new, d -> TestFlow.tcp(d, 50000),
                List.of(Msg.c(Bytes.of().hex(EXCSAT).get()), Msg.s(Bytes.of().hex(EXCSATRD).get())));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void notDrda() {
        byte[] badLength = Bytes.of().hex(EXCSAT).get();
        badLength[7]++;
        assertThat(TestFlow.tcp(new DrdaDissector(), 50000).client(badLength).verdict).isEqualTo(Dissector.NO);
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.tcp(new DrdaDissector(), 446).client(DissectorChecks.ascii(o)).verdict).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(new DrdaDissector(), 446, 11, Bytes.of().hex(EXCSAT).get());
    }

    @Test
    void tnsConnectAtEverySplit() {
        byte[] c = tnsConnect("(DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=orcl)(CID=(PROGRAM=sqlplus)))(ADDRESS=(PROTOCOL=TCP)(HOST=db)(PORT=1521)))");
        TestFlow f = Splits.check(OracleTnsDissector::new, d -> TestFlow.tcp(d, 1521), List.of(Msg.c(c)));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).isEmpty();
    }

    @Test
    void notTns() {
        byte[] other = tnsConnect("(SOMETHING=else)".repeat(8));
        assertThat(TestFlow.tcp(new OracleTnsDissector(), 1521).client(other).verdict).isNotEqualTo(Dissector.DONE);
        byte[] data = tnsConnect("(DESCRIPTION=(ADDRESS=(HOST=db)))");
        data[4] = 6; // a DATA packet is not how a session starts
        assertThat(TestFlow.tcp(new OracleTnsDissector(), 1521).client(data).verdict).isEqualTo(Dissector.NO);
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.tcp(new OracleTnsDissector(), 1521).client(DissectorChecks.ascii(o)).verdict).as(o).isNotEqualTo(Dissector.DONE);
        }
        DissectorChecks.neverThrows(new OracleTnsDissector(), 1521, 12, tnsConnect("(DESCRIPTION=(ADDRESS=(HOST=db)))"));
    }
}
