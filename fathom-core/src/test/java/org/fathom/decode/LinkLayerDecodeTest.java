package org.fathom.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.decode.FrameBuilder.ACK;
import static org.fathom.decode.FrameBuilder.PSH;
import static org.fathom.decode.FrameBuilder.frame;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every link type the decoder claims, each carrying the same IPv4 and IPv6 TCP segments. */
class LinkLayerDecodeTest {
    private final DecoderHarness h = new DecoderHarness();

    static FrameBuilder tcp4() {
        return frame().ipv4("192.0.2.1", "198.51.100.2").tcp(40000, 443, PSH | ACK).payload("hello");
    }

    static FrameBuilder tcp6() {
        return frame().ipv6("2001:db8::1", "2001:db8:0:1::2").tcp(40000, 443, PSH | ACK).payload("hello");
    }

    static Stream<Arguments> ipv4Links() {
        return Stream.of(
                link("Ethernet", LinkType.ETHERNET, () -> frame().ethernet()),
                link("802.3 LLC/SNAP", LinkType.ETHERNET, () -> frame().ieee8023Snap()),
                link("Linux SLL", LinkType.LINUX_SLL, () -> frame().sll()),
                link("Linux SLL2", LinkType.LINUX_SLL2, () -> frame().sll2()),
                link("raw 101", LinkType.RAW, FrameBuilder::frame),
                link("raw 12", LinkType.RAW_12, FrameBuilder::frame),
                link("raw 14", LinkType.RAW_14, FrameBuilder::frame),
                link("raw IPv4 228", LinkType.IPV4, FrameBuilder::frame),
                link("NULL AF 2 little-endian", LinkType.NULL, () -> frame().nullLoopback(2, true)),
                link("NULL AF 2 big-endian", LinkType.NULL, () -> frame().nullLoopback(2, false)),
                link("LOOP AF 2", LinkType.LOOP, () -> frame().loop(2)),
                link("PPP", LinkType.PPP, () -> frame().ppp(false, false)),
                link("PPP with FF 03", LinkType.PPP, () -> frame().ppp(true, false)),
                link("PPP compressed protocol", LinkType.PPP, () -> frame().ppp(false, true)),
                link("PPP FF 03 compressed protocol", LinkType.PPP, () -> frame().ppp(true, true)),
                link("PPP in HDLC", LinkType.PPP_HDLC, () -> frame().ppp(true, false)),
                link("Cisco HDLC", LinkType.C_HDLC, () -> frame().ciscoHdlc()),
                link("Cisco HDLC framing under PPP", LinkType.PPP, () -> frame().ciscoHdlc()),
                link("Cisco HDLC framing under PPP in HDLC", LinkType.PPP_HDLC, () -> frame().ciscoHdlc()),
                link("PPI Ethernet", LinkType.PPI, () -> frame().ppi(LinkType.ETHERNET, false).ethernet()),
                link("PPI with field, Ethernet", LinkType.PPI, () -> frame().ppi(LinkType.ETHERNET, true).ethernet()),
                link("PPI 802.11", LinkType.PPI, () -> frame().ppi(LinkType.IEEE802_11, true).wifi()),
                link("802.11", LinkType.IEEE802_11, () -> frame().wifi()),
                link("802.11 QoS", LinkType.IEEE802_11, () -> frame().wifi(w -> w.qos = true)),
                link("802.11 QoS + HT control", LinkType.IEEE802_11, () -> frame().wifi(w -> {
                    w.qos = true;
                    w.htControl = true;
                })),
                link("802.11 4-address", LinkType.IEEE802_11, () -> frame().wifi(w -> w.fourAddress = true)),
                link("802.11 4-address QoS", LinkType.IEEE802_11, () -> frame().wifi(w -> {
                    w.fourAddress = true;
                    w.qos = true;
                })),
                link("radiotap", LinkType.IEEE802_11_RADIOTAP, () -> frame().radiotap(r -> { }).wifi()),
                link("radiotap FCS", LinkType.IEEE802_11_RADIOTAP, () -> frame().radiotap(r -> r.fcs = true).wifi()),
                link("radiotap TSFT", LinkType.IEEE802_11_RADIOTAP, () -> frame().radiotap(r -> r.tsft = true).wifi()),
                link("radiotap TSFT FCS", LinkType.IEEE802_11_RADIOTAP, () -> frame().radiotap(r -> {
                    r.tsft = true;
                    r.fcs = true;
                }).wifi()),
                link("radiotap extended present, TSFT, FCS", LinkType.IEEE802_11_RADIOTAP, () -> frame().radiotap(r -> {
                    r.extendedPresent = true;
                    r.tsft = true;
                    r.fcs = true;
                }).wifi(w -> w.qos = true)),
                link("radiotap 4-address QoS", LinkType.IEEE802_11_RADIOTAP, () -> frame().radiotap(r -> r.fcs = true).wifi(w -> {
                    w.fourAddress = true;
                    w.qos = true;
                })),
                link("NFLOG AF_INET", LinkType.NFLOG, () -> frame().nflog(2)));
    }

    static Stream<Arguments> ipv6Links() {
        return Stream.of(
                link("Ethernet", LinkType.ETHERNET, () -> frame().ethernet()),
                link("Linux SLL", LinkType.LINUX_SLL, () -> frame().sll()),
                link("Linux SLL2", LinkType.LINUX_SLL2, () -> frame().sll2()),
                link("raw 101", LinkType.RAW, FrameBuilder::frame),
                link("raw 12", LinkType.RAW_12, FrameBuilder::frame),
                link("raw 14", LinkType.RAW_14, FrameBuilder::frame),
                link("raw IPv6 229", LinkType.IPV6, FrameBuilder::frame),
                link("NULL AF 24 little-endian", LinkType.NULL, () -> frame().nullLoopback(24, true)),
                link("NULL AF 28 little-endian", LinkType.NULL, () -> frame().nullLoopback(28, true)),
                link("NULL AF 30 little-endian", LinkType.NULL, () -> frame().nullLoopback(30, true)),
                link("NULL AF 10 little-endian", LinkType.NULL, () -> frame().nullLoopback(10, true)),
                link("NULL AF 24 big-endian", LinkType.NULL, () -> frame().nullLoopback(24, false)),
                link("NULL AF 28 big-endian", LinkType.NULL, () -> frame().nullLoopback(28, false)),
                link("NULL AF 30 big-endian", LinkType.NULL, () -> frame().nullLoopback(30, false)),
                link("NULL AF 10 big-endian", LinkType.NULL, () -> frame().nullLoopback(10, false)),
                link("LOOP AF 24", LinkType.LOOP, () -> frame().loop(24)),
                link("LOOP AF 30", LinkType.LOOP, () -> frame().loop(30)),
                link("PPP", LinkType.PPP, () -> frame().ppp(true, false)),
                link("PPP compressed protocol", LinkType.PPP, () -> frame().ppp(false, true)),
                link("PPP in HDLC", LinkType.PPP_HDLC, () -> frame().ppp(true, false)),
                link("Cisco HDLC", LinkType.C_HDLC, () -> frame().ciscoHdlc()),
                link("Cisco HDLC framing under PPP", LinkType.PPP, () -> frame().ciscoHdlc()),
                link("PPI 802.11", LinkType.PPI, () -> frame().ppi(LinkType.IEEE802_11, false).wifi()),
                link("radiotap TSFT FCS QoS", LinkType.IEEE802_11_RADIOTAP, () -> frame().radiotap(r -> {
                    r.tsft = true;
                    r.fcs = true;
                }).wifi(w -> w.qos = true)),
                link("NFLOG AF_INET6", LinkType.NFLOG, () -> frame().nflog(10)));
    }

    private static Arguments link(String name, int linkType, Supplier<FrameBuilder> prefix) {
        return Arguments.of(name, linkType, prefix);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv4Links")
    void decodesIpv4Tcp(String name, int linkType, Supplier<FrameBuilder> prefix) {
        assertThat(h.decode(prefix.get().then(tcp4()), linkType)).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.ipVersion).isEqualTo(4);
        assertThat(h.src()).isEqualTo("192.0.2.1");
        assertThat(h.dst()).isEqualTo("198.51.100.2");
        assertThat(h.d.srcHi).isZero();
        assertThat(h.d.srcLo).isEqualTo(0x0000_FFFF_C000_0201L);
        assertThat(h.d.dstLo).isEqualTo(0x0000_FFFF_C633_6402L);
        assertTcpHello();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv6Links")
    void decodesIpv6Tcp(String name, int linkType, Supplier<FrameBuilder> prefix) {
        assertThat(h.decode(prefix.get().then(tcp6()), linkType)).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.ipVersion).isEqualTo(6);
        assertThat(h.src()).isEqualTo(DecoderHarness.canonical("2001:db8::1"));
        assertThat(h.dst()).isEqualTo(DecoderHarness.canonical("2001:db8:0:1::2"));
        assertThat(h.d.srcHi).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(h.d.srcLo).isEqualTo(1L);
        assertTcpHello();
    }

    private void assertTcpHello() {
        assertThat(h.d.l4).isEqualTo(IpProtocol.TCP);
        assertThat(h.d.srcPort).isEqualTo(40000);
        assertThat(h.d.dstPort).isEqualTo(443);
        assertThat(h.d.tcpFlags).isEqualTo(PSH | ACK);
        assertThat(h.d.tunnel).isEqualTo(Tunnel.NONE);
        assertThat(h.d.vlan).isZero();
        assertThat(h.d.malformed).isFalse();
        assertThat(h.d.frames).isEqualTo(1);
        assertThat(new String(h.payload(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(h.stats().ipPackets).isEqualTo(1);
    }

    @Test
    void keepsWireLengthAndTimestamp() {
        Packet p = frame().ethernet().then(tcp4()).packet(LinkType.ETHERNET, 123_456_789L);
        p.wireLength = 1514; // captured with a short snaplen
        assertThat(h.decode(p)).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.wireBytes).isEqualTo(1514);
        assertThat(h.d.timestampNanos).isEqualTo(123_456_789L);
    }

    // ---------------------------------------------------------------- not IP

    @Test
    void arpIsNotIp() {
        assertThat(h.decode(frame().ethernet().arp(), LinkType.ETHERNET)).isEqualTo(PacketDecoder.NOT_IP);
        assertThat(h.decode(frame().ethernet().vlan(7).arp(), LinkType.ETHERNET)).isEqualTo(PacketDecoder.NOT_IP);
        assertThat(h.decode(frame().sll().arp(), LinkType.LINUX_SLL)).isEqualTo(PacketDecoder.NOT_IP);
        assertThat(h.stats().nonIp).isEqualTo(3);
        assertThat(h.stats().malformed).isZero();
    }

    @Test
    void spanningTreeLlcIsNotIp() {
        assertThat(h.decode(frame().ieee8023Llc(0x42).payload(new byte[35]), LinkType.ETHERNET)).isEqualTo(PacketDecoder.NOT_IP);
    }

    @Test
    void protectedWifiFramesAreNotIp() {
        FrameBuilder f = frame().radiotap(r -> r.fcs = true).wifi(w -> {
            w.protectedFrame = true;
            w.qos = true;
        }).then(tcp4());
        assertThat(h.decode(f, LinkType.IEEE802_11_RADIOTAP)).isEqualTo(PacketDecoder.NOT_IP);
        assertThat(h.decode(frame().wifi(w -> w.protectedFrame = true).then(tcp4()), LinkType.IEEE802_11)).isEqualTo(PacketDecoder.NOT_IP);
    }

    @Test
    void wifiNullDataAndManagementFramesAreNotIp() {
        assertThat(h.decode(frame().radiotap(r -> { }).wifi(w -> w.nullData = true), LinkType.IEEE802_11_RADIOTAP))
                .isEqualTo(PacketDecoder.NOT_IP);
        assertThat(h.decode(frame().radiotap(r -> { }).wifi(w -> w.type = 0).payload(new byte[40]), LinkType.IEEE802_11_RADIOTAP))
                .isEqualTo(PacketDecoder.NOT_IP);
    }

    @Test
    void otherAddressFamiliesAndPppProtocolsAreNotIp() {
        assertThat(h.decode(frame().nullLoopback(7, true).payload(new byte[40]), LinkType.NULL)).isEqualTo(PacketDecoder.NOT_IP);
        assertThat(h.decode(frame().pppProtocol(0xC021).payload(new byte[8]), LinkType.PPP)).isEqualTo(PacketDecoder.NOT_IP);
        assertThat(h.decode(frame().ciscoHdlc(0x8035).payload(new byte[20]), LinkType.C_HDLC)).isEqualTo(PacketDecoder.NOT_IP);
        // SLARP keep-alives in a PPP-typed capture (as in nDPI's BGP_Cisco_hdlc_slarp.pcap)
        assertThat(h.decode(frame().ciscoHdlc(0x8035).payload(new byte[20]), LinkType.PPP)).isEqualTo(PacketDecoder.NOT_IP);
        assertThat(h.decode(frame().ethernet(0x88CC).payload(new byte[40]), LinkType.ETHERNET)).isEqualTo(PacketDecoder.NOT_IP);
    }

    @Test
    void nflogWithoutPayloadIsNotIp() {
        byte[] header = {2, 0, 0, 0, 8, 0, 1, 0, 8, 0, 3, 0};
        assertThat(h.decode(FrameBuilder.toPacket(header, LinkType.NFLOG, 0))).isEqualTo(PacketDecoder.NOT_IP);
    }

    // ---------------------------------------------------------------- unsupported and broken

    @Test
    void unknownLinkTypeIsUnsupportedAndCounted() {
        byte[] frame = frame().ethernet().then(tcp4()).bytes();
        assertThat(h.decode(FrameBuilder.toPacket(frame, 147, 0))).isEqualTo(PacketDecoder.UNSUPPORTED_LINK);
        assertThat(h.decode(FrameBuilder.toPacket(frame, 147, 0))).isEqualTo(PacketDecoder.UNSUPPORTED_LINK);
        assertThat(h.decode(FrameBuilder.toPacket(frame, 5000, 0))).isEqualTo(PacketDecoder.UNSUPPORTED_LINK);
        assertThat(h.decode(FrameBuilder.toPacket(frame, -3, 0))).isEqualTo(PacketDecoder.UNSUPPORTED_LINK);
        DecodeStats s = h.stats();
        assertThat(s.unsupportedLinkFrames).isEqualTo(4);
        assertThat(s.unsupportedLinkTypes[147]).isEqualTo(2);
        assertThat(s.unsupportedLinkTypes[1024]).isEqualTo(1);
        assertThat(s.unsupportedLinkTypes[0]).isEqualTo(1);
        assertThat(s.frames).isEqualTo(4);
        assertThat(s.ipPackets + s.nonIp + s.malformed).isZero();
    }

    @Test
    void statsAddUp() {
        DecodeStats total = new DecodeStats();
        h.decode(frame().ethernet().then(tcp4()), LinkType.ETHERNET);
        h.decode(frame().ethernet().arp(), LinkType.ETHERNET);
        h.decode(FrameBuilder.toPacket(new byte[3], LinkType.ETHERNET, 0));
        h.decode(FrameBuilder.toPacket(new byte[3], 147, 0));
        total.add(h.stats());
        total.add(h.stats());
        assertThat(total.frames).isEqualTo(8);
        assertThat(total.ipPackets).isEqualTo(2);
        assertThat(total.nonIp).isEqualTo(2);
        assertThat(total.malformed).isEqualTo(2);
        assertThat(total.unsupportedLinkFrames).isEqualTo(2);
        assertThat(total.unsupportedLinkTypes[147]).isEqualTo(2);
        assertThat(total.swallowedExceptions).isZero();
    }

    @Test
    void rawIpWithAnotherVersionIsMalformed() {
        byte[] b = frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.version = 5).udp(1, 2).bytes();
        assertThat(h.decode(FrameBuilder.toPacket(b, LinkType.RAW, 0))).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(h.decode(FrameBuilder.toPacket(b, LinkType.IPV4, 0))).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(h.decode(FrameBuilder.toPacket(new byte[0], LinkType.RAW, 0))).isEqualTo(PacketDecoder.MALFORMED);
    }

    @Test
    void ipv4InsideAnIpv6LinkIsMalformed() {
        assertThat(h.decode(tcp4(), LinkType.IPV6)).isEqualTo(PacketDecoder.MALFORMED);
        assertThat(h.decode(tcp6(), LinkType.IPV4)).isEqualTo(PacketDecoder.MALFORMED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv4Links")
    void everyTruncationOfTheLinkHeaderIsHandled(String name, int linkType, Supplier<FrameBuilder> prefix) {
        byte[] whole = prefix.get().then(tcp4()).bytes();
        for (int len = 0; len < whole.length; len++) {
            int r = h.decode(FrameBuilder.toPacket(java.util.Arrays.copyOf(whole, len), linkType, 0));
            assertThat(r).as("cut at %d", len).isIn(PacketDecoder.OK, PacketDecoder.MALFORMED, PacketDecoder.NOT_IP);
        }
    }
}
