package org.fathom.protocol.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class Hl7DissectorTest {
    /** An ADT^A01 framed by MLLP (start block 0x0B, end block 0x1C 0x0D), as in HL7 v2.5 chapter 2's examples. */
    static final String ADT = "\u000BMSH|^~\\&|ADT1|GOOD HEALTH HOSPITAL|GHH LAB|GHH|20070101120000||ADT^A01|MSG00001|P|2.5\r"
            + "PID|1||PATID1234||EVERYMAN^ADAM\r\u001C\r";
    static final String ACK = "\u000BMSH|^~\\&|GHH LAB|GHH|ADT1|GOOD HEALTH HOSPITAL|20070101120001||ACK^A01|ACK00001|P|2.5\rMSA|AA|MSG00001\r\u001C\r";

    @Test
    void messageAndAckAtEverySplit() {
        TestFlow f = Splits.check(Hl7Dissector::new, d -> TestFlow.tcp(d, 2575), List.of(Msg.c(ADT), Msg.s(ACK)));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).isEmpty(); // patient data is never recorded
    }

    @Test
    void notHl7() {
        assertThat(TestFlow.tcp(new Hl7Dissector(), 2575).client(DissectorChecks.ascii("MSH|^~\\&|x")).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new Hl7Dissector(), 2575).client(DissectorChecks.ascii("\u000BMSHA^~\\&|x")).verdict).isEqualTo(Dissector.NO);
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.tcp(new Hl7Dissector(), 2575).client(DissectorChecks.ascii(o)).verdict).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(new Hl7Dissector(), 2575, 18, DissectorChecks.ascii(ADT));
    }
}
