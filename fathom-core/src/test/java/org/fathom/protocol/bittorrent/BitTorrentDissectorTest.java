package org.fathom.protocol.bittorrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.fathom.protocol.Bytes;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class BitTorrentDissectorTest {
    private final BitTorrentDissector d = new BitTorrentDissector();

    static byte[] handshake() {
        return Bytes.of(19).ascii("BitTorrent protocol").zeros(8).hex("0123456789abcdef0123456789abcdef01234567").ascii("-qB4650-abcdefghijkl").get();
    }

    static byte[] utp(int type, int ext, int conn, int seq, int ack, int payload) {
        return Bytes.of((type << 4) | 1, ext).u16(conn).u32(1000).u32(0).u32(65536).u16(seq).u16(ack).zeros(payload).get();
    }

    @Test
    void handshakeEvenWhenSplit() {
        byte[] h = handshake();
        for (int k = 1; k < 25; k++) {
            TestFlow c = TestFlow.tcp(51413);
            c.feed(d, true, h, 0, k);
            c.feed(d, true, h, k, h.length - k);
            assertThat(c.verdict).as("split %d", k).isEqualTo(Dissector.DONE);
        }
    }

    @Test
    void dhtTrackerAndLsd() {
        assertThat(TestFlow.udp(6881).feed(d, true, "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")).isEqualTo(Dissector.DONE);
        assertThat(TestFlow.udp(40000).feed(d, true, Bytes.of().u32(0x417).u32(0x27101980L).u32(0).u32(0xdeadbeefL).get()))
                .isEqualTo(Dissector.DONE);
        assertThat(TestFlow.udp(6771).feed(d, true, "BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\n\r\n"))
                .isEqualTo(Dissector.DONE);
    }

    @Test
    void utpNeedsTheAnswer() {
        TestFlow c = TestFlow.udp(40000);
        assertThat(c.feed(d, true, utp(4, 0, 0x1111, 7, 0, 0))).isEqualTo(Dissector.NEED_MORE);
        assertThat(c.feed(d, false, utp(2, 0, 0x1111, 300, 7, 0))).isEqualTo(Dissector.DONE);
        TestFlow w = TestFlow.udp(40000);
        w.feed(d, true, utp(4, 0, 0x1111, 7, 0, 0));
        assertThat(w.feed(d, false, utp(2, 0, 0x1111, 300, 99, 0))).isEqualTo(Dissector.NO);
        TestFlow acks = TestFlow.udp(40000);
        acks.feed(d, true, utp(2, 0, 0x3333, 9, 100, 0));
        assertThat(acks.feed(d, true, utp(2, 0, 0x3333, 9, 102, 0))).isEqualTo(Dissector.DONE);
        TestFlow data = TestFlow.udp(40000);
        data.feed(d, true, utp(0, 0, 0x2222, 10, 5, 100));
        assertThat(data.feed(d, true, utp(0, 0, 0x2222, 11, 5, 100))).isEqualTo(Dissector.DONE);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (String o : Bytes.OTHERS) {
            if (o.contains("BitTorrent")) {
                continue;
            }
            assertThat(TestFlow.udp(6881).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
            assertThat(TestFlow.tcp(6881).feed(d, true, o)).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(d, 6881, 7, handshake(), utp(4, 0, 1, 2, 0, 0), utp(0, 1, 1, 2, 3, 40));
    }
}
