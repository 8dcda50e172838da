package org.fathom.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.decode.FrameBuilder.ACK;
import static org.fathom.decode.FrameBuilder.FIN;
import static org.fathom.decode.FrameBuilder.PSH;
import static org.fathom.decode.FrameBuilder.RST;
import static org.fathom.decode.FrameBuilder.SYN;
import static org.fathom.decode.FrameBuilder.URG;
import static org.fathom.decode.FrameBuilder.frame;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IPv4 options, IPv6 extension headers, L4 fields, payload bounds, and broken headers. */
class IpDecodeTest {
    private final DecoderHarness h = new DecoderHarness();

    private int eth(FrameBuilder f) {
        return h.decode(frame().ethernet().then(f), LinkType.ETHERNET);
    }

    private String payloadText() {
        return new String(h.payload(), StandardCharsets.US_ASCII);
    }

    @Nested
    class Ipv4 {
        @ParameterizedTest(name = "{0} bytes of options")
        @ValueSource(ints = {4, 8, 12, 40})
        void optionsAreSkipped(int optionBytes) {
            byte[] options = new byte[optionBytes];
            options[0] = (byte) 0x94; // router alert
            options[1] = 4;
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.options = options).udp(5353, 53).payload("q")))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.srcPort).isEqualTo(5353);
            assertThat(h.d.dstPort).isEqualTo(53);
            assertThat(h.d.payloadOffset).isEqualTo(14 + 20 + optionBytes + 8);
            assertThat(payloadText()).isEqualTo("q");
        }

        @Test
        void ttl() {
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.ttl = 3).udp(1, 2))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.ttl).isEqualTo(3);
        }

        @Test
        void ethernetPaddingIsExcludedByTheIpLength() {
            FrameBuilder f = frame().ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload("ab")
                    .trailer(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 1, 2, 3, 4});
            assertThat(h.decode(f, LinkType.ETHERNET)).isEqualTo(PacketDecoder.OK);
            assertThat(payloadText()).isEqualTo("ab");
            FrameBuilder t = frame().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, ACK).trailer(new byte[6]);
            assertThat(h.decode(t, LinkType.ETHERNET)).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.payloadLength).isZero();
            assertThat(h.d.payloadOffset).isEqualTo(14 + 20 + 20);
        }

        @Test
        void zeroTotalLengthMeansTheRestOfTheFrame() {
            // TSO/GSO: the NIC fills the length in later, the capture sees 0
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.totalLength = 0).tcp(1, 2, ACK).payload("segment")))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(payloadText()).isEqualTo("segment");
        }

        @Test
        void aShortSnaplenKeepsWhatWasCaptured() {
            byte[] whole = frame().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, ACK).payload(new byte[1000]).bytes();
            Packet p = FrameBuilder.toPacket(Arrays.copyOf(whole, 96), LinkType.ETHERNET, 0);
            p.wireLength = whole.length;
            assertThat(h.decode(p)).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.payloadOffset).isEqualTo(54);
            assertThat(h.d.payloadLength).isEqualTo(96 - 54);
            assertThat(h.d.wireBytes).isEqualTo(whole.length);
        }

        @Test
        void brokenHeadersAreMalformed() {
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.ihl = 4).udp(1, 2))).isEqualTo(PacketDecoder.MALFORMED);
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.ihl = 15).udp(1, 2))).isEqualTo(PacketDecoder.MALFORMED);
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.totalLength = 19).udp(1, 2))).isEqualTo(PacketDecoder.MALFORMED);
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.version = 6).udp(1, 2))).isEqualTo(PacketDecoder.MALFORMED);
            byte[] cut = Arrays.copyOf(frame().ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).bytes(), 14 + 19);
            assertThat(h.decode(FrameBuilder.toPacket(cut, LinkType.ETHERNET, 0))).isEqualTo(PacketDecoder.MALFORMED);
            assertThat(h.stats().malformed).isEqualTo(5);
        }

        @Test
        void otherProtocolsAreKeyedWithoutPorts() {
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").ipPayload(IpProtocol.ESP, new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 7})))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.ESP);
            assertThat(h.d.srcPort).isZero();
            assertThat(h.d.dstPort).isZero();
            assertThat(h.d.payloadLength).isEqualTo(9);
            assertThat(eth(frame().ipv4("10.0.0.1", "224.0.0.5").ipPayload(IpProtocol.OSPF, new byte[0]))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.OSPF);
            assertThat(h.d.payloadLength).isZero();
        }
    }

    @Nested
    class Ipv6 {
        @Test
        void hopLimitAndAddresses() {
            assertThat(eth(frame().ipv6("fe80::1", "ff02::1:2", ip -> ip.hopLimit = 1).udp(546, 547))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.ttl).isEqualTo(1);
            assertThat(h.src()).isEqualTo(DecoderHarness.canonical("fe80::1"));
            assertThat(h.dst()).isEqualTo(DecoderHarness.canonical("ff02::1:2"));
            assertThat(h.d.dstHi).isEqualTo(0xFF02_0000_0000_0000L);
            assertThat(h.d.dstLo).isEqualTo(0x0000_0000_0001_0002L);
        }

        @Test
        void extensionHeadersAreWalked() {
            assertThat(eth(frame().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.hopByHop().routing().destinationOptions(3))
                    .tcp(1234, 22, SYN).payload("ssh"))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.TCP);
            assertThat(h.d.dstPort).isEqualTo(22);
            assertThat(h.d.payloadOffset).isEqualTo(14 + 40 + 8 + 24 + 24 + 20);
            assertThat(payloadText()).isEqualTo("ssh");
        }

        @Test
        void authenticationHeaderUsesFourByteUnits() {
            assertThat(eth(frame().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.authentication(3)).udp(500, 500).payload("ike")))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.UDP);
            assertThat(h.d.dstPort).isEqualTo(500);
            assertThat(payloadText()).isEqualTo("ike");
        }

        @Test
        void mobilityAndUnknownUpperLayers() {
            assertThat(eth(frame().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.ext(IpProtocol.MOBILITY, new byte[6])).udp(7, 8)))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.UDP);
            assertThat(eth(frame().ipv6("2001:db8::1", "2001:db8::2").ipPayload(IpProtocol.ESP, new byte[12]))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.ESP);
        }

        @Test
        void noNextHeader() {
            assertThat(eth(frame().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.destinationOptions(1)))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.IPV6_NONXT);
            assertThat(h.d.payloadLength).isZero();
        }

        @Test
        void ethernetPaddingIsExcludedByThePayloadLength() {
            FrameBuilder f = frame().ethernet().ipv6("2001:db8::1", "2001:db8::2").tcp(1, 2, ACK).payload("x").trailer(new byte[9]);
            assertThat(h.decode(f, LinkType.ETHERNET)).isEqualTo(PacketDecoder.OK);
            assertThat(payloadText()).isEqualTo("x");
        }

        @Test
        void tooManyExtensionHeadersAreMalformed() {
            assertThat(eth(frame().ipv6("2001:db8::1", "2001:db8::2", ip -> {
                for (int i = 0; i < 16; i++) {
                    ip.destinationOptions(1);
                }
            }).udp(1, 2))).isEqualTo(PacketDecoder.MALFORMED);
            assertThat(eth(frame().ipv6("2001:db8::1", "2001:db8::2", ip -> {
                for (int i = 0; i < 15; i++) {
                    ip.destinationOptions(1);
                }
            }).udp(1, 2))).isEqualTo(PacketDecoder.OK);
        }

        @Test
        void brokenHeadersAreMalformed() {
            // an extension header longer than the packet
            byte[] b = frame().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.destinationOptions(1)).udp(1, 2).bytes();
            b[41] = 20;
            assertThat(h.decode(FrameBuilder.toPacket(b, LinkType.RAW, 0))).isEqualTo(PacketDecoder.MALFORMED);
            assertThat(h.decode(FrameBuilder.toPacket(Arrays.copyOf(b, 39), LinkType.RAW, 0))).isEqualTo(PacketDecoder.MALFORMED);
            assertThat(eth(frame().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.payloadLength = 4).udp(1, 2)))
                    .isEqualTo(PacketDecoder.MALFORMED);
        }
    }

    @Nested
    class L4 {
        @Test
        void tcpFieldsAndOptions() {
            byte[] options = {2, 4, 5, (byte) 0xB4, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0};
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1025, 8080, SYN | ACK, t -> {
                t.seq = 0xDEADBEEF;
                t.ack = 0x01020304;
                t.options = options;
            }).payload("data"))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.tcpSeq).isEqualTo(0xDEADBEEF);
            assertThat(h.d.tcpAck).isEqualTo(0x01020304);
            assertThat(h.d.tcpFlags).isEqualTo(SYN | ACK);
            assertThat(h.d.payloadOffset).isEqualTo(14 + 20 + 40);
            assertThat(payloadText()).isEqualTo("data");
        }

        @ParameterizedTest(name = "flags {0}")
        @ValueSource(ints = {0, FIN, SYN, RST, PSH, ACK, URG, 0x40, 0x80, 0xFF, FIN | ACK, RST | ACK})
        void everyTcpFlag(int flags) {
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, flags))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.tcpFlags).isEqualTo(flags);
        }

        @Test
        void impossibleTcpHeaderLengthIsKeyedButFlagged() {
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, SYN, t -> t.dataOffset = 12).payload("x")))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.malformed).isTrue();
            assertThat(h.d.srcPort).isEqualTo(1);
            assertThat(h.d.payloadLength).isZero();
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, SYN, t -> t.dataOffset = 60).payload("x")))
                    .isEqualTo(PacketDecoder.OK);
            assertThat(h.d.malformed).isTrue();
            assertThat(h.d.payloadLength).isZero();
        }

        @Test
        void udpLengthBoundsThePayload() {
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2, u -> u.length = 10).payload("abcdef"))).isEqualTo(PacketDecoder.OK);
            assertThat(payloadText()).isEqualTo("ab");
            // longer than the IP payload: the IP length wins
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2, u -> u.length = 500).payload("abcdef"))).isEqualTo(PacketDecoder.OK);
            assertThat(payloadText()).isEqualTo("abcdef");
            assertThat(h.d.malformed).isFalse();
            // shorter than its own header
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2, u -> u.length = 5).payload("abc"))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.malformed).isTrue();
            assertThat(payloadText()).isEqualTo("abc");
        }

        @Test
        void sctp() {
            byte[] init = {1, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0x10, 0, 0, 1, 0, 1, 0, 0, 0, 1};
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").sctp(2905, 2905).payload(init))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.SCTP);
            assertThat(h.d.srcPort).isEqualTo(2905);
            assertThat(h.d.payloadLength).isEqualTo(init.length);
            assertThat(eth(frame().ipv6("2001:db8::1", "2001:db8::2").sctp(36412, 36412))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.dstPort).isEqualTo(36412);
        }

        @Test
        void icmpAndIcmpv6() {
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").icmp(8, 0).payload("ping"))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.ICMP);
            assertThat(h.d.icmpType).isEqualTo(8);
            assertThat(h.d.icmpCode).isZero();
            assertThat(h.d.srcPort).isZero();
            assertThat(h.d.payloadOffset).isEqualTo(14 + 20 + 4);
            assertThat(eth(frame().ipv4("10.0.0.1", "10.0.0.2").icmp(3, 3))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.icmpType).isEqualTo(3);
            assertThat(h.d.icmpCode).isEqualTo(3);
            assertThat(eth(frame().ipv6("2001:db8::1", "ff02::1", ip -> ip.hopByHop()).icmpv6(143, 0))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.l4).isEqualTo(IpProtocol.ICMPV6);
            assertThat(h.d.icmpType).isEqualTo(143);
        }

        @Test
        void truncatedL4HeadersAreMalformed() {
            byte[] tcp = frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, SYN).bytes();
            assertThat(h.decode(FrameBuilder.toPacket(Arrays.copyOf(tcp, 39), LinkType.RAW, 0))).isEqualTo(PacketDecoder.MALFORMED);
            byte[] udp = frame().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2).bytes();
            assertThat(h.decode(FrameBuilder.toPacket(Arrays.copyOf(udp, 47), LinkType.RAW, 0))).isEqualTo(PacketDecoder.MALFORMED);
            byte[] sctp = frame().ipv4("10.0.0.1", "10.0.0.2").sctp(1, 2).bytes();
            assertThat(h.decode(FrameBuilder.toPacket(Arrays.copyOf(sctp, 31), LinkType.RAW, 0))).isEqualTo(PacketDecoder.MALFORMED);
            byte[] icmp = frame().ipv4("10.0.0.1", "10.0.0.2").icmp(8, 0).bytes();
            assertThat(h.decode(FrameBuilder.toPacket(Arrays.copyOf(icmp, 21), LinkType.RAW, 0))).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.malformed).isTrue();
        }
    }

    @Nested
    class Recursion {
        /** Repeats {@code unit} until the frame is nearly {@link Packet#MAX_FRAME} long, after an Ethernet header. */
        private Packet chain(int etherType, byte[] unit) {
            byte[] f = new byte[Packet.MAX_FRAME];
            f[12] = (byte) (etherType >>> 8);
            f[13] = (byte) etherType;
            for (int p = 14; p + unit.length <= f.length; p += unit.length) {
                System.arraycopy(unit, 0, f, p, unit.length);
            }
            return FrameBuilder.toPacket(f, LinkType.ETHERNET, 0);
        }

        @Test
        void deepEthernetOverMplsChainsEndWithoutOverflowingTheStack() {
            // label (bottom of stack), pseudowire control word, Ethernet header announcing MPLS: ~11,900 levels
            byte[] unit = new FrameBuilder.Bytes().u32(16 << 12 | 0x100 | 64).u32(0).zeros(12).u16(PacketDecoder.ETH_MPLS).toArray();
            assertThat(h.decode(chain(PacketDecoder.ETH_MPLS, unit))).isEqualTo(PacketDecoder.MALFORMED);
        }

        @Test
        void deepVlanLlcChainsEndWithoutOverflowingTheStack() {
            // VLAN tag with an 802.3 length, LLC/SNAP announcing another VLAN tag: ~21,800 levels
            for (int length : new int[] {1500, 0}) {
                byte[] unit = new FrameBuilder.Bytes().u16(1).u16(length).u8(0xAA).u8(0xAA).u8(3).zeros(3).u16(PacketDecoder.ETH_VLAN).toArray();
                assertThat(h.decode(chain(PacketDecoder.ETH_VLAN, unit))).isIn(PacketDecoder.MALFORMED, PacketDecoder.NOT_IP);
            }
        }

        @Test
        void deepQinqStacksAreWalkedWithoutRecursion() {
            byte[] unit = new FrameBuilder.Bytes().u16(1).u16(PacketDecoder.ETH_QINQ).toArray();
            assertThat(h.decode(chain(PacketDecoder.ETH_QINQ, unit))).isEqualTo(PacketDecoder.MALFORMED);
        }

        @Test
        void moderateNestingStillDecodes() {
            FrameBuilder f = frame().ethernet();
            for (int i = 0; i < 3; i++) {
                f.mpls(16).pseudowire().ethernet().vlan(i + 1).llcSnap();
            }
            assertThat(h.decode(f.then(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2)), LinkType.ETHERNET)).isEqualTo(PacketDecoder.OK);
            assertThat(h.d.vlan).isEqualTo(3);
        }
    }
}
