package org.fathom.protocol.openvpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.be16;
import static org.fathom.protocol.apptest.Bytes.be32;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class OpenVpnDissectorTest {
    static final byte[] CLIENT_SID = hex("334857703d96db39");
    static final byte[] SERVER_SID = hex("d31c3a6964602fa0");

    /** P_CONTROL_HARD_RESET_CLIENT_V2, no tls-auth: opcode, session id, empty ack array, message packet-id 0. */
    static byte[] clientReset() {
        return cat(new byte[] {7 << 3}, CLIENT_SID, new byte[] {0}, be32(0));
    }

    /** P_CONTROL_HARD_RESET_SERVER_V2 acknowledging the client's packet 0 of session CLIENT_SID. */
    static byte[] serverReset() {
        return cat(new byte[] {8 << 3}, SERVER_SID, new byte[] {1}, be32(0), CLIENT_SID, be32(0));
    }

    /** The same with tls-auth (HMAC-SHA1: 20 bytes, then replay packet-id and time). */
    static byte[] clientResetTlsAuth() {
        return cat(new byte[] {7 << 3}, CLIENT_SID, new byte[20], be32(1), be32(1_700_000_000L), new byte[] {0}, be32(0));
    }

    static byte[] control(byte[] sid, int msgId) {
        return cat(new byte[] {4 << 3}, sid, new byte[] {0}, be32(msgId), hex("16030100"));
    }

    static byte[] tcp(byte[] p) {
        return cat(be16(p.length), p);
    }

    @Test
    void udpResetAnsweredWithTheSessionId() {
        TestFlow f = TestFlow.udp(new OpenVpnDissector(), 1194).client(clientReset()).server(serverReset());
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        TestFlow g = TestFlow.udp(new OpenVpnDissector(), 1194).client(clientResetTlsAuth()).server(serverReset());
        assertThat(g.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void oneSidedSessionIsConfirmedByRepeatedIds() {
        TestFlow f = TestFlow.udp(new OpenVpnDissector(), 1194).client(clientReset());
        f.client(clientReset()); // a retransmission confirms nothing
        assertThat(f.matched).isFalse();
        f.client(control(CLIENT_SID, 1)).client(control(CLIENT_SID, 2)).client(control(CLIENT_SID, 3));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void tcpFramingAtEverySplit() {
        TestFlow f = Splits.check(OpenVpnDissector::new, d -> TestFlow.tcp(d, 1194), List.of(
                Msg.c(tcp(clientReset())), Msg.s(tcp(serverReset()))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        TestFlow g = Splits.check(OpenVpnDissector::new, d -> TestFlow.tcp(d, 443), List.of(
                Msg.c(cat(tcp(clientReset()), tcp(control(CLIENT_SID, 1)))), Msg.c(cat(tcp(control(CLIENT_SID, 2)), tcp(control(CLIENT_SID, 3))))));
        assertThat(g.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void dnsQueriesWithALookalikeFirstByteAreNot() {
        // a DNS query whose id starts with 0x38 (the opcode byte of a client reset), retransmitted
        byte[] dns = hex("38d301000001000000000000045f736970045f756470037369700963796265726369747902646b0000200001");
        TestFlow f = TestFlow.udp(new OpenVpnDissector(), 53);
        for (int i = 0; i < 5; i++) {
            f.client(dns);
        }
        assertThat(f.matched).isFalse();
        TestFlow g = TestFlow.udp(new OpenVpnDissector(), 1194).client(clientReset()).server(cat(new byte[] {8 << 3}, SERVER_SID, new byte[] {1}, be32(0), hex("0102030405060708"), be32(0)));
        assertThat(g.matched).isFalse();
    }
}
