package org.fathom.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.decode.FrameBuilder.ACK;
import static org.fathom.decode.FrameBuilder.SYN;
import static org.fathom.decode.FrameBuilder.frame;

import java.nio.charset.StandardCharsets;
import org.fathom.capture.LinkType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** VLAN, MPLS, PPPoE and every tunnel: which addresses, VLAN and tunnel name a flow is keyed by. */
class EncapsulationDecodeTest {
    private final DecoderHarness h = new DecoderHarness();

    static final String OUT_SRC = "203.0.113.1", OUT_DST = "203.0.113.2";
    static final String IN_SRC = "10.1.0.1", IN_DST = "10.2.0.2";

    static FrameBuilder innerTcp() {
        return frame().ipv4(IN_SRC, IN_DST).tcp(50000, 80, SYN).payload("inner");
    }

    static FrameBuilder innerTcp6() {
        return frame().ipv6("fd00::1", "fd00::2").tcp(50000, 80, SYN).payload("inner");
    }

    static FrameBuilder outer() {
        return frame().ethernet().ipv4(OUT_SRC, OUT_DST);
    }

    private int decode(FrameBuilder f) {
        return h.decode(f, LinkType.ETHERNET);
    }

    private void assertInner(int tunnel) {
        assertThat(h.d.ipVersion).isEqualTo(4);
        assertThat(h.src()).isEqualTo(IN_SRC);
        assertThat(h.dst()).isEqualTo(IN_DST);
        assertThat(h.d.l4).isEqualTo(IpProtocol.TCP);
        assertThat(h.d.srcPort).isEqualTo(50000);
        assertThat(h.d.dstPort).isEqualTo(80);
        assertThat(h.d.tcpFlags).isEqualTo(SYN);
        assertThat(h.d.tunnel).as("tunnel %s", Tunnel.name(h.d.tunnel)).isEqualTo(tunnel);
        assertThat(new String(h.payload(), StandardCharsets.US_ASCII)).isEqualTo("inner");
    }

    private void assertOuterUdp(int port) {
        assertThat(h.src()).isEqualTo(OUT_SRC);
        assertThat(h.dst()).isEqualTo(OUT_DST);
        assertThat(h.d.l4).isEqualTo(IpProtocol.UDP);
        assertThat(h.d.dstPort).isEqualTo(port);
        assertThat(h.d.tunnel).isEqualTo(Tunnel.NONE);
        assertThat(h.d.vlan).isZero();
        assertThat(h.d.tcpFlags).isZero();
    }

    @Nested
    class VlanMplsPppoe {
        @Test
        void vlanId() {
            assertThat(decode(frame().ethernet().vlan(100).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.vlan).isEqualTo(100);
            assertInner(Tunnel.NONE);
        }

        @Test
        void qinqKeepsTheInnermostId() {
            assertThat(decode(frame().ethernet().qinq(200).vlan(300).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.vlan).isEqualTo(300);
            assertInner(Tunnel.NONE);
        }

        @Test
        void oldQinqTpidAndThreeTags() {
            assertThat(decode(frame().ethernet().vlanTag(PacketDecoder.ETH_QINQ_OLD, 1).qinq(2).vlan(4095).then(innerTcp6())))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.vlan).isEqualTo(4095);
            assertThat(h.d.ipVersion).isEqualTo(6);
        }

        @Test
        void vlanThenLlcSnap() {
            assertThat(decode(frame().ethernet().vlan(12).llcSnap().then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.vlan).isEqualTo(12);
            assertInner(Tunnel.NONE);
        }

        @Test
        void vlanInsideSll() {
            assertThat(h.decode(frame().sll().vlan(33).then(innerTcp()), LinkType.LINUX_SLL)).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.vlan).isEqualTo(33);
        }

        @Test
        void mplsSingleLabelAndStack() {
            assertThat(decode(frame().ethernet().mpls(16).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.NONE);
            assertThat(decode(frame().ethernet().vlan(5).mpls(16, 17, 1048575).then(innerTcp6()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.ipVersion).isEqualTo(6);
            assertThat(h.d.vlan).isEqualTo(5);
            assertThat(h.d.srcPort).isEqualTo(50000);
        }

        @Test
        void ethernetOverMplsPseudowire() {
            assertThat(decode(frame().ethernet().mpls(100, 200).pseudowire().ethernet().vlan(42).then(innerTcp())))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.vlan).isEqualTo(42);
            assertInner(Tunnel.NONE);
        }

        @Test
        void mplsWithoutBottomOfStackIsMalformed() {
            byte[] labels = {0, 1, 0, 64, 0, 2, 0, 64};
            assertThat(decode(frame().ethernet(PacketDecoder.ETH_MPLS).payload(labels))).isEqualTo(PacketDecoder.MALFORMED);
        }

        @Test
        void pppoeSession() {
            assertThat(decode(frame().ethernet().pppoe(0x1234).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.NONE);
            assertThat(decode(frame().ethernet().vlan(7).pppoe(1).then(innerTcp6()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.ipVersion).isEqualTo(6);
            assertThat(h.d.vlan).isEqualTo(7);
        }

        @Test
        void pppoeLengthBoundsThePayloadAndExcludesPadding() {
            // a bare SYN over PPPoE is padded by Ethernet; PPPoE and IP lengths both exclude it
            FrameBuilder f = frame().ethernet().pppoe(1).ipv4(IN_SRC, IN_DST).tcp(1, 2, SYN).trailer(new byte[12]);
            assertThat(decode(f)).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.payloadLength).isZero();
        }

        @Test
        void pppoeControlIsNotIp() {
            byte[] lcp = {(byte) 0xC0, 0x21, 1, 1, 0, 4};
            assertThat(decode(frame().ethernet(PacketDecoder.ETH_PPPOE_SESSION).payload(new byte[] {0x11, 0, 0, 1, 0, 6}).payload(lcp)))
                    .isEqualTo(PacketDecoder.NOT_IP);
        }
    }

    @Nested
    class Gre {
        @Test
        void plainGre() {
            assertThat(decode(outer().gre().then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
            assertThat(h.stats().tunnelled).isEqualTo(1);
        }

        @Test
        void greWithChecksumKeyAndSequence() {
            assertThat(decode(outer().gre(g -> {
                g.checksum = 0xBEEF;
                g.key = 77;
                g.seq = 5;
            }).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
            assertThat(decode(outer().gre(g -> g.key = 1).then(innerTcp6()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.ipVersion).isEqualTo(6);
            assertThat(h.d.tunnel).isEqualTo(Tunnel.GRE);
        }

        @Test
        void transparentEthernetBridgingKeepsTheInnerVlan() {
            assertThat(decode(outer().gre(g -> g.key = 9).ethernet().vlan(77).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
            assertThat(h.d.vlan).isEqualTo(77);
        }

        @Test
        void pptp() {
            assertThat(decode(outer().pptpGre(3, 10, 9).ppp(true, false).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
            assertThat(decode(outer().pptpGre(3, 11, null).ppp(true, true).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
            assertThat(decode(outer().pptpGre(3, null, 12).ppp(false, true).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
        }

        @Test
        void pptpControlFramesKeyTheGrePacket() {
            assertThat(decode(outer().pptpGre(3, 10, null).pppProtocol(0xC021).payload(new byte[] {1, 1, 0, 4})))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.src()).isEqualTo(OUT_SRC);
            assertThat(h.dst()).isEqualTo(OUT_DST);
            assertThat(h.d.l4).isEqualTo(IpProtocol.GRE);
            assertThat(h.d.srcPort).isZero();
            assertThat(h.d.tunnel).isEqualTo(Tunnel.NONE);
        }

        @Test
        void unknownGreProtocolKeysTheGrePacket() {
            assertThat(decode(outer().gre(g -> g.protocol = 0x1234).payload(new byte[20]))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.GRE);
            assertThat(h.src()).isEqualTo(OUT_SRC);
            assertThat(h.d.tunnel).isEqualTo(Tunnel.NONE);
        }

        @Test
        void erspanII() {
            assertThat(decode(outer().gre(g -> g.seq = 1).erspanII(5).ethernet().vlan(10).then(innerTcp())))
                    .isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
            assertThat(h.d.vlan).isEqualTo(10);
        }

        @Test
        void erspanTypeIHasNoHeader() {
            // type I shares 0x88BE with type II but has no sequence number and no ERSPAN header
            assertThat(decode(outer().gre(g -> g.protocol = PacketDecoder.ETH_ERSPAN2).ethernet().vlan(10).then(innerTcp())))
                    .isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
            assertThat(h.d.vlan).isEqualTo(10);
        }

        @Test
        void greWithRoutingKeysTheGrePacket() {
            // RFC 1701: checksum and offset fields present, then source route entries we do not walk
            byte[] header = {(byte) 0x40, 0, 0x08, 0, 0, 0, 0, 0};
            assertThat(decode(outer().ipPayload(IpProtocol.GRE, header).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.GRE);
            assertThat(h.src()).isEqualTo(OUT_SRC);
            assertThat(h.d.tunnel).isEqualTo(Tunnel.NONE);
        }

        @Test
        void erspanIII() {
            assertThat(decode(outer().gre(g -> g.seq = 1).erspanIII(5, false).ethernet().then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
            assertThat(decode(outer().gre(g -> g.seq = 1).erspanIII(5, true).ethernet().then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
        }

        @Test
        void innerArpKeysTheGrePacketWithOuterFields() {
            assertThat(decode(frame().ethernet().vlan(3).ipv4(OUT_SRC, OUT_DST).gre().ethernet().vlan(99).arp()))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.GRE);
            assertThat(h.src()).isEqualTo(OUT_SRC);
            assertThat(h.d.vlan).as("the outer VLAN, not the inner frame's").isEqualTo(3);
            assertThat(h.d.tunnel).isEqualTo(Tunnel.NONE);
        }

        @Test
        void innerMalformedPacketKeysTheGrePacketWithOuterFields() {
            FrameBuilder f = frame().ethernet().ipv4(OUT_SRC, OUT_DST, ip -> ip.ttl = 9).gre()
                    .ipv4(IN_SRC, IN_DST, ip -> ip.ttl = 200).tcp(1, 2, SYN, t -> t.dataOffset = 60);
            // the inner TCP header claims 60 bytes: keyed but flagged; cut the inner IP to make it unusable
            byte[] b = f.bytes();
            byte[] cut = java.util.Arrays.copyOf(b, 14 + 20 + 4 + 20 + 10);
            assertThat(h.decode(FrameBuilder.toPacket(cut, LinkType.ETHERNET, 0))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.GRE);
            assertThat(h.src()).isEqualTo(OUT_SRC);
            assertThat(h.d.ttl).isEqualTo(9);
            assertThat(h.d.malformed).isFalse();
        }
    }

    @Nested
    class IpInIp {
        @Test
        void fourInFour() {
            assertThat(decode(outer().then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.IP_IN_IP);
        }

        @Test
        void fourInSix() {
            assertThat(decode(frame().ethernet().ipv6("2001:db8::a", "2001:db8::b").then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.IP_IN_IP);
        }

        @Test
        void sixInFour() {
            assertThat(decode(outer().then(innerTcp6()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.ipVersion).isEqualTo(6);
            assertThat(h.src()).isEqualTo(DecoderHarness.canonical("fd00::1"));
            assertThat(h.d.tunnel).isEqualTo(Tunnel.IP_IN_IP);
        }

        @Test
        void sixInSix() {
            assertThat(decode(frame().ethernet().ipv6("2001:db8::a", "2001:db8::b", ip -> ip.destinationOptions(1)).then(innerTcp6())))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.ipVersion).isEqualTo(6);
            assertThat(h.dst()).isEqualTo(DecoderHarness.canonical("fd00::2"));
            assertThat(h.d.tunnel).isEqualTo(Tunnel.IP_IN_IP);
        }

        @Test
        void nestingIsCappedAtEight() {
            FrameBuilder eight = frame();
            for (int i = 0; i < 8; i++) {
                eight.ipv4("10.0.0." + (i + 1), "10.0.1." + (i + 1));
            }
            assertThat(h.decode(eight.then(innerTcp()), LinkType.RAW)).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.IP_IN_IP);
            FrameBuilder nine = frame();
            for (int i = 0; i < 9; i++) {
                nine.ipv4("10.0.0." + (i + 1), "10.0.1." + (i + 1));
            }
            assertThat(h.decode(nine.then(innerTcp()), LinkType.RAW)).isEqualTo(PacketDecoder.MALFORMED);
        }
    }

    @Nested
    class UdpTunnels {
        @Test
        void gtpu() {
            assertThat(decode(outer().udp(2152, 2152).gtpu(0x100).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GTP);
        }

        @Test
        void gtpuWithSequenceAndExtensionHeader() {
            assertThat(decode(outer().udp(2152, 2152).gtpu(1, g -> g.sequence = true).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GTP);
            assertThat(decode(outer().udp(2152, 2152).gtpu(1, g -> g.extension = true).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GTP);
            assertThat(decode(outer().udp(2152, 2152).gtpu(1, g -> {
                g.sequence = true;
                g.extension = true;
            }).then(innerTcp6()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.ipVersion).isEqualTo(6);
            assertThat(h.d.tunnel).isEqualTo(Tunnel.GTP);
        }

        @Test
        void gtpEchoIsTheUdpFlow() {
            assertThat(decode(outer().udp(2152, 2152).gtpu(0, g -> {
                g.messageType = 1;
                g.sequence = true;
            }))).isEqualTo(PacketDecoder.OK);
            assertOuterUdp(2152);
        }

        @Test
        void vxlan() {
            assertThat(decode(outer().udp(41000, 4789).vxlan(5000).ethernet().vlan(8).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.VXLAN);
            assertThat(h.d.vlan).isEqualTo(8);
        }

        @Test
        void vxlanWithoutTheIFlagIsTheUdpFlow() {
            byte[] header = {0, 0, 0, 0, 0, 0, 1, 0};
            assertThat(decode(outer().udp(41000, 4789).payload(header).ethernet().then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertOuterUdp(4789);
        }

        @Test
        void capwap8023And80211() {
            assertThat(decode(outer().udp(5246, 5247).capwap(c -> { }).ethernet().then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.CAPWAP);
            assertThat(decode(outer().udp(5247, 5246).capwap(c -> c.ieee80211 = true).wifi(w -> w.qos = true).then(innerTcp())))
                    .isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.CAPWAP);
            assertThat(decode(outer().udp(5247, 5246).capwap(c -> {
                c.ieee80211 = true;
                c.radioMac = true;
            }).wifi().then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.CAPWAP);
        }

        @Test
        void capwapKeepAliveIsTheUdpFlow() {
            assertThat(decode(outer().udp(5246, 5247).capwap(c -> c.keepAlive = true).payload(new byte[16]))).isEqualTo(PacketDecoder.OK);
            assertOuterUdp(5247);
        }

        @Test
        void capwapFragmentsAreTheUdpFlow() {
            // CAPWAP fragments are not reassembled: the middle of an inner frame must not be read as
            // a frame of its own, and all fragments of one frame belong to the same (UDP) flow
            for (int offset : new int[] {0, 1, 2, 16, 100}) {
                FrameBuilder f = outer().udp(5246, 5247).capwap(c -> {
                    c.fragment = true;
                    c.fragmentOffset = offset;
                }).ethernet().then(innerTcp());
                assertThat(decode(f)).isEqualTo(PacketDecoder.OK);
                assertOuterUdp(5247);
            }
        }

        @Test
        void tzspEthernetAnd80211() {
            assertThat(decode(outer().udp(37008, 37008).tzsp(1).ethernet().then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.TZSP);
            assertThat(decode(outer().udp(37008, 37008).tzsp(18).wifi(w -> w.qos = true).then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.TZSP);
        }

        @Test
        void tzspWithOtherEncapsulationIsTheUdpFlow() {
            assertThat(decode(outer().udp(37008, 37008).tzsp(7).payload(new byte[30]))).isEqualTo(PacketDecoder.OK);
            assertOuterUdp(37008);
        }

        @Test
        void udpTunnelOverIpv6() {
            assertThat(decode(frame().ethernet().ipv6("2001:db8::a", "2001:db8::b").udp(2152, 2152).gtpu(7).then(innerTcp())))
                    .isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GTP);
        }
    }

    @Nested
    class Nesting {
        @Test
        void theOutermostTunnelNamesTheFlow() {
            assertThat(decode(outer().gre().ipv4("192.168.0.1", "192.168.0.2").udp(1, 4789).vxlan(1).ethernet().then(innerTcp())))
                    .isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GRE);
        }

        @Test
        void ipInIpInsideVxlanIsVxlan() {
            assertThat(decode(outer().udp(1, 4789).vxlan(1).ethernet().ipv4("192.168.0.1", "192.168.0.2").then(innerTcp())))
                    .isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.VXLAN);
        }

        @Test
        void greInsideGtpIsGtp() {
            assertThat(decode(outer().udp(2152, 2152).gtpu(1).ipv4("192.168.0.1", "192.168.0.2").gre().then(innerTcp())))
                    .isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.GTP);
        }

        @Test
        void gtpInsideIpInIpIsIpInIp() {
            assertThat(decode(outer().ipv4("192.168.0.1", "192.168.0.2").udp(2152, 2152).gtpu(1).then(innerTcp())))
                    .isEqualTo(PacketDecoder.OK);
            assertInner(Tunnel.IP_IN_IP);
        }

        @Test
        void aFailedInnerTunnelDoesNotLeaveItsName() {
            // IP-in-IP inside GRE whose innermost header is broken: the GRE packet is the flow
            byte[] b = outer().gre().ipv4("192.168.0.1", "192.168.0.2").ipv4(IN_SRC, IN_DST, ip -> ip.ihl = 3).udp(1, 2).bytes();
            assertThat(h.decode(FrameBuilder.toPacket(b, LinkType.ETHERNET, 0))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.GRE);
            assertThat(h.src()).isEqualTo(OUT_SRC);
            assertThat(h.d.tunnel).isEqualTo(Tunnel.NONE);
        }

        @Test
        void deepGreNestingEndsAsAGreFlow() {
            FrameBuilder f = frame().ethernet();
            for (int i = 0; i < 12; i++) {
                f.ipv4("10.9.0." + (i + 1), "10.9.1." + (i + 1)).gre();
            }
            assertThat(decode(f.then(innerTcp()))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.GRE);
            assertThat(h.d.tunnel).isEqualTo(Tunnel.GRE);
        }
    }
}
