package org.fathom.protocol.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.le32;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class WireGuardDissectorTest {
    static byte[] initiation(long sender) {
        return cat(new byte[] {1, 0, 0, 0}, le32(sender), new byte[140]);
    }

    static byte[] response(long sender, long receiver) {
        return cat(new byte[] {2, 0, 0, 0}, le32(sender), le32(receiver), new byte[80]);
    }

    static byte[] data(long receiver, long counter, int payload) {
        return cat(new byte[] {4, 0, 0, 0}, le32(receiver), le32(counter), le32(0), new byte[payload + 16]);
    }

    @Test
    void handshake() {
        TestFlow f = TestFlow.udp(new WireGuardDissector(), 51820).client(initiation(0x11223344L)).server(response(0x55667788L, 0x11223344L));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        TestFlow g = TestFlow.udp(new WireGuardDissector(), 51820).client(initiation(1)).server(response(2, 3));
        assertThat(g.verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void transportDataMidFlow() {
        TestFlow f = TestFlow.udp(new WireGuardDissector(), 51820).client(data(7, 100, 64)).client(data(7, 101, 32)).client(data(7, 103, 0));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        TestFlow g = TestFlow.udp(new WireGuardDissector(), 51820).client(data(7, 100, 64)).client(data(8, 101, 32));
        assertThat(g.verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void sizesAndReservedBytesMatter() {
        assertThat(TestFlow.udp(new WireGuardDissector(), 51820).client(cat(initiation(1), new byte[1])).matched).isFalse();
        // a padded initiation is passed over; the transport packets that follow decide
        TestFlow padded = TestFlow.udp(new WireGuardDissector(), 51820).client(cat(initiation(1), new byte[56]));
        padded.client(data(9, 0, 0)).client(data(9, 1, 48)).client(data(9, 2, 48));
        assertThat(padded.verdict).isEqualTo(Dissector.DONE);
        byte[] r = initiation(1);
        r[2] = 1;
        assertThat(TestFlow.udp(new WireGuardDissector(), 51820).client(r).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(new WireGuardDissector(), 51820).client(cat(data(1, 1, 0), new byte[3])).verdict).isEqualTo(Dissector.NO);
    }
}
