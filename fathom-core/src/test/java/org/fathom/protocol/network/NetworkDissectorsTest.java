package org.fathom.protocol.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.fill;
import static org.fathom.protocol.samples.Hex.u16;
import static org.fathom.protocol.samples.Hex.u32;

import java.util.List;
import org.fathom.protocol.flowexport.NetFlowDissector;
import org.fathom.protocol.monitoring.BannerDissector;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.protocol.samples.Drive;
import org.fathom.protocol.samples.Msg;
import org.fathom.protocol.samples.Tail;
import org.junit.jupiter.api.Test;

class NetworkDissectorsTest {
    @Test
    void metadata() {
        assertThat(Tail.run("netflow v5").meta()).containsEntry("netflow.version", 5L);
        assertThat(Tail.run("ipfix template").meta()).containsEntry("netflow.version", 10L);
        assertThat(Tail.run("bfd control").meta()).containsEntry("bfd.state", "down");
        assertThat(Tail.run("ptp sync").meta()).containsEntry("ptp.message_type", "sync");
        assertThat(Tail.run("someip sd").meta()).containsEntry("someip.service_id", 0xFFFFL).containsEntry("someip.sd", true);
        assertThat(Tail.run("nat-pmp address").meta()).containsEntry("nat_pmp.opcode", "public_address");
        assertThat(Tail.run("hsrp v2 ipv6").meta()).containsEntry("hsrp.version", 2L);
        assertThat(Tail.run("openflow hello").meta()).containsEntry("openflow.version", 4L);
    }

    @Test
    void dcerpcInterfaces() {
        Drive.Outcome pnio = Tail.run("dcerpc profinet io");
        assertThat(pnio.application()).isEqualTo("PROFINET_IO");
        assertThat(pnio.meta()).containsEntry("dcerpc.interface", "dea00001-6c97-11d1-8271-00a02442df7d");
        Drive.Outcome bind = Tail.run("dcerpc bind");
        assertThat(bind.application()).isNull();
        assertThat(bind.meta()).containsEntry("dcerpc.interface", "e1af8308-5d1f-11c9-91a4-08002b14a0fa");
        assertThat(Tail.run("capwap discovery request").meta()).containsEntry("capwap.message_type", 1L);
    }

    @Test
    void netflowCountMustMatchTheLength() {
        byte[] v5 = cat(u16(5), u16(2), u32(1000), u32(1700000000), u32(0), u32(1), u32(0), fill(48, 0x11));
        assertThat(Drive.run(new NetFlowDissector(), TestFlow.udp(40000, 2055), List.of(Msg.c(v5))).recognised()).isFalse();
    }

    @Test
    void kcpNeedsMoreThanOneEmptySegment() {
        byte[] ack = cat(new byte[] {4, 3, 2, 1, 82, 0, (byte) 128, 0}, fill(16, 0));
        assertThat(Drive.run(new KcpDissector(), TestFlow.udp(40000, 4000), List.of(Msg.c(ack))).recognised()).isFalse();
    }

    @Test
    void bannersNeedTheWholeGreeting() {
        Drive.Outcome partial = Drive.run(BannerDissector.munin(), TestFlow.tcp(40000, 4949), List.of(Msg.s("# munin".getBytes())));
        assertThat(partial.recognised()).isFalse();
        Drive.Outcome other = Drive.run(BannerDissector.munin(), TestFlow.tcp(40000, 4949), List.of(Msg.s("# comment\n".getBytes())));
        assertThat(other.recognised()).isFalse();
    }
}
