package org.fathom.protocol.gtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.hex;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class GtpDissectorTest {
    @Test
    void gtpV1AndV2Control() {
        // GTPv1-C echo request with sequence number (S flag): length 4
        TestFlow v1 = TestFlow.udp(new GtpDissector(), 2123).client(hex("32 01 0004 00000000 1234 0000"));
        assertThat(v1.verdict).isEqualTo(Dissector.DONE);
        assertThat(v1.application).isEqualTo("GTP_C");
        // GTPv2-C create session request with TEID: length covers everything after the first 4 bytes
        TestFlow v2 = TestFlow.udp(new GtpDissector(), 2123).client(hex("48 20 000c 00000000 000100 00 01000000"));
        assertThat(v2.verdict).isEqualTo(Dissector.DONE);
        assertThat(v2.meta).containsEntry("gtp.version", 2L).containsEntry("gtp.message_type", 32L);
        TestFlow echoU = TestFlow.udp(new GtpDissector(), 2152).client(hex("32 01 0004 00000000 0001 0000"));
        assertThat(echoU.application).isEqualTo("GTP_U");
    }

    @Test
    void wrongLengthOrVersionIsNot() {
        assertThat(TestFlow.udp(new GtpDissector(), 2123).client(hex("32 01 0005 00000000 1234 0000")).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(new GtpDissector(), 2123).client(hex("62 01 0004 00000000 1234 0000")).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(new GtpDissector(), 2123).client(hex("22 01 0004 00000000 1234 0000")).verdict).isEqualTo(Dissector.NO);
    }
}
