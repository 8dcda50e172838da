package org.fathom.protocol.h323;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class H323DissectorTest {
    static byte[] tpkt(byte[] body) {
        int len = body.length + 4;
        return cat(new byte[] {3, 0, (byte) (len >>> 8), (byte) len}, body);
    }

    @Test
    void q931SetupAtEverySplit() {
        // Q.931 SETUP: discriminator 8, call reference length 2, value, message type 5, bearer capability IE
        byte[] setup = tpkt(hex("08 02 77f4 05 04 03 8090a5 7e 0010 05 20a8 06 0008914a0004 01"));
        TestFlow f = Splits.check(H323Dissector::new, d -> TestFlow.tcp(d, 1720), List.of(Msg.c(setup)));
        assertThat(f.verdict).isEqualTo(Dissector.MATCH); // later messages may announce the H.245 channel
        assertThat(f.meta).containsEntry("h323.message", "SETUP");
    }

    @Test
    void connectAnnouncesTheH245Channel() {
        // CONNECT from the server 10.0.0.2 whose user-user IE holds h245Address 10.0.0.2:1232
        byte[] connect = tpkt(hex("08 02 f7f4 07 28 074d2e4a454d4543 7e 0010 05 22c0 06 0008914a0003 00 0a000002 04d0 22c0"));
        TestFlow f = TestFlow.tcp(new H323Dissector(), 1720);
        f.server(connect);
        assertThat(f.matched).isTrue();
        assertThat(f.expectations).containsExactly("6/0:ffff0a000002:1232=H323");
    }

    @Test
    void rasWithTheH225Oid() {
        // GatekeeperRequest: requestSeqNum, protocolIdentifier 0.0.8.2250.0.4, ...
        byte[] grq = hex("00 0001 06 0008914a0004 01 00 0a0a0a0a06b8");
        assertThat(TestFlow.udp(new H323Dissector(), 1719).client(grq).verdict).isEqualTo(Dissector.DONE);
        assertThat(TestFlow.udp(new H323Dissector(), 1719).client(hex("000102030405060708090a0b0c0d0e0f")).verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void rdpAndIsoTpktAreNotQ931() {
        assertThat(TestFlow.tcp(new H323Dissector(), 1720).client(hex("030000130ee00000000000010008000b000000")).verdict).isEqualTo(Dissector.NO);
    }
}
