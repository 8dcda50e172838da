package org.fathom.protocol.radius;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.be16;
import static org.fathom.protocol.apptest.Bytes.cat;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class RadiusDissectorTest {
    static byte[] attr(int type, byte[] value) {
        return cat(new byte[] {(byte) type, (byte) (value.length + 2)}, value);
    }

    static byte[] packet(int code, byte[]... attrs) {
        byte[] a = cat(attrs);
        return cat(new byte[] {(byte) code, 7}, be16(20 + a.length), new byte[16], a);
    }

    @Test
    void accessRequestAndAccept() {
        byte[] req = packet(1, attr(1, ascii("alice")), attr(2, new byte[16]), attr(4, new byte[] {10, 0, 0, 1}));
        TestFlow f = TestFlow.udp(new RadiusDissector(), 1812).client(req);
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("radius.code", "Access-Request");
        assertThat(f.meta.toString()).doesNotContain("alice");
    }

    @Test
    void bareAccountingResponseNeedsASecondPacket() {
        TestFlow f = TestFlow.udp(new RadiusDissector(), 1813).server(packet(5));
        assertThat(f.verdict).isEqualTo(Dissector.NEED_MORE);
        assertThat(f.meta).isEmpty();
        f.server(packet(5));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void overTcpAtEverySplit() {
        byte[] req = packet(4, attr(1, ascii("alice")), attr(40, new byte[] {0, 0, 0, 1}));
        TestFlow f = org.fathom.protocol.apptest.Splits.check(RadiusDissector::new,
                d -> TestFlow.tcp(d, 1813), java.util.List.of(org.fathom.protocol.apptest.Msg.c(req), org.fathom.protocol.apptest.Msg.s(packet(5))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("radius.code", "Accounting-Request");
    }

    @Test
    void inconsistentPacketsAreNot() {
        byte[] req = packet(1, attr(1, ascii("bob")));
        req[21] = 40; // attribute runs past the packet
        assertThat(TestFlow.udp(new RadiusDissector(), 1812).client(req).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(new RadiusDissector(), 1812).client(packet(9, attr(1, ascii("x")))).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(new RadiusDissector(), 1812).client(packet(1)).verdict).isEqualTo(Dissector.NO);
    }
}
