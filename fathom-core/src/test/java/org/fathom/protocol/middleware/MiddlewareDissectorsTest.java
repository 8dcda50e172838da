package org.fathom.protocol.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** GIOP, the PROXY protocol, RTPS and OpenWire, on messages laid out as their specifications give them. */
class MiddlewareDissectorsTest {
    /** GIOP 1.2 Request, little-endian (flags bit 0), body of 0x44 bytes. */
    static byte[] giopRequest() {
        return Bytes.of().ascii("GIOP").u8(1, 2, 1, 0).u8(0x44, 0, 0, 0).zeros(0x44).get();
    }

    /** GIOP 1.2 Reply, big-endian. */
    static byte[] giopReply() {
        return Bytes.of().ascii("GIOP").u8(1, 2, 0, 1).u32(0x20).zeros(0x20).get();
    }

    /** The PROXY protocol's own v2 example: signature, v2 PROXY, TCP over IPv4, 12 bytes of addresses. */
    static byte[] proxyV2() {
        return Bytes.of().bytes(ProxyProtocolDissector.V2).u8(0x21, 0x11).u16(12).u8(192, 0, 2, 1, 198, 51, 100, 2).u16(56324).u16(443)
                .ascii("GET / HTTP/1.1\r\n").get();
    }

    /** RTPS 2.3 header (vendor 01.0f, eProsima) and an INFO_TS submessage. */
    static byte[] rtps() {
        return Bytes.of().ascii("RTPS").u8(2, 3, 1, 15).hex("010f45d2b3f5a9e400000001").u8(0x09, 0x01).u16(8).zeros(8).get();
    }

    /** OpenWire WireFormatInfo: size, type 1, magic, version 12. */
    static byte[] wireFormatInfo() {
        return Bytes.of().u32(0x00000120).u8(1).ascii("ActiveMQ").u32(12).zeros(20).get();
    }

    @Test
    void giopAtEverySplit() {
        TestFlow f = Splits.check(GiopDissector::new, d -> TestFlow.tcp(d, 2809), List.of(Msg.c(giopRequest()), Msg.s(giopReply())));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        byte[] v9 = giopRequest();
        v9[5] = 9;
        assertThat(TestFlow.tcp(new GiopDissector(), 2809).client(v9).verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void proxyProtocolBothVersionsAtEverySplit() {
        assertThat(Splits.check(ProxyProtocolDissector::new, d -> TestFlow.tcp(d, 80),
                List.of(Msg.c("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\nGET / HTTP/1.1\r\n"))).verdict).isEqualTo(Dissector.DONE);
        assertThat(Splits.check(ProxyProtocolDissector::new, d -> TestFlow.tcp(d, 80),
                List.of(Msg.c("PROXY TCP6 2001:db8::1 2001:db8::2 56324 443\r\n"))).verdict).isEqualTo(Dissector.DONE);
        assertThat(Splits.check(ProxyProtocolDissector::new, d -> TestFlow.tcp(d, 443), List.of(Msg.c(proxyV2()))).verdict).isEqualTo(Dissector.DONE);
        TestFlow f = TestFlow.tcp(new ProxyProtocolDissector(), 80).client(DissectorChecks.ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"));
        assertThat(f.meta).isEmpty(); // the client's address is not recorded
    }

    @Test
    void rtpsAndOpenWire() {
        assertThat(TestFlow.udp(new RtpsDissector(), 7400).client(rtps()).verdict).isEqualTo(Dissector.DONE);
        byte[] v1 = rtps();
        v1[4] = 1;
        assertThat(TestFlow.udp(new RtpsDissector(), 7400).client(v1).verdict).isEqualTo(Dissector.NO);
        TestFlow f = Splits.check(OpenWireDissector::new, d -> TestFlow.tcp(d, 61616), List.of(Msg.c(wireFormatInfo()), Msg.s(wireFormatInfo())));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void otherProtocolsAreRejected() {
        for (Dissector d : List.of(new GiopDissector(), new ProxyProtocolDissector(), new OpenWireDissector())) {
            for (String o : Bytes.OTHERS) {
                assertThat(TestFlow.tcp(d, 80).client(DissectorChecks.ascii(o)).verdict).as(d + " " + o).isEqualTo(Dissector.NO);
            }
        }
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.udp(new RtpsDissector(), 7400).client(DissectorChecks.ascii(o)).verdict).as(o).isEqualTo(Dissector.NO);
        }
        assertThat(TestFlow.tcp(new ProxyProtocolDissector(), 80).client(DissectorChecks.ascii("PROXY foo\r\n")).verdict).isEqualTo(Dissector.NO);
        DissectorChecks.neverThrows(new GiopDissector(), 2809, 13, giopRequest(), giopReply());
        DissectorChecks.neverThrows(new ProxyProtocolDissector(), 80, 14, proxyV2(), DissectorChecks.ascii("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"));
        DissectorChecks.neverThrows(new RtpsDissector(), 7400, 15, rtps());
        DissectorChecks.neverThrows(new OpenWireDissector(), 61616, 16, wireFormatInfo());
    }
}
