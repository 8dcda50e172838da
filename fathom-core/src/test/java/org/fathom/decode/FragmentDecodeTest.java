package org.fathom.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.decode.FrameBuilder.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.fathom.reassembly.IpReassembler;
import org.junit.jupiter.api.Test;

/** Fragmented datagrams through the decoder: what the flow table gets once they are whole. */
class FragmentDecodeTest {
    static final long T0 = 1_700_000_000_000_000_000L;

    private final DecoderHarness h = new DecoderHarness();
    private final byte[] data = new byte[3000];

    FragmentDecodeTest() {
        new Random(42).nextBytes(data);
    }

    private byte[] udp4() {
        return frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.id = 0xABCD).udp(5060, 5061).payload(data).bytes();
    }

    private byte[] udp6(java.util.function.Consumer<FrameBuilder.Ipv6> config) {
        return frame().ipv6("2001:db8::1", "2001:db8::2", config).udp(4500, 4501).payload(data).bytes();
    }

    /** Decodes each fragment over Ethernet; returns the result of the last. */
    private int decodeAll(List<byte[]> fragments) {
        int r = -1;
        long ts = T0;
        for (byte[] f : fragments) {
            r = h.decode(frame().ethernet().encoded(f).packet(LinkType.ETHERNET, ts += 1000));
        }
        return r;
    }

    private static long wire(List<byte[]> fragments) {
        return fragments.stream().mapToLong(f -> 14 + f.length).sum();
    }

    private void assertUdp4Whole(List<byte[]> fragments) {
        assertThat(h.d.ipVersion).isEqualTo(4);
        assertThat(h.src()).isEqualTo("10.0.0.1");
        assertThat(h.d.l4).isEqualTo(IpProtocol.UDP);
        assertThat(h.d.srcPort).isEqualTo(5060);
        assertThat(h.d.dstPort).isEqualTo(5061);
        assertThat(h.d.buf).isSameAs(h.reassembler().buffer());
        assertThat(h.payload()).isEqualTo(data);
        assertThat(h.d.frames).isEqualTo(fragments.size());
        assertThat(h.d.wireBytes).isEqualTo(wire(fragments));
    }

    @Test
    void ipv4InOrder() {
        List<byte[]> fragments = Fragments.ipv4(udp4(), 1480);
        assertThat(fragments).hasSize(3);
        assertThat(h.decode(frame().ethernet().encoded(fragments.get(0)).packet(LinkType.ETHERNET, T0))).isEqualTo(PacketDecoder.FRAGMENT);
        assertThat(h.decode(frame().ethernet().encoded(fragments.get(1)).packet(LinkType.ETHERNET, T0 + 1))).isEqualTo(PacketDecoder.FRAGMENT);
        assertThat(h.decode(frame().ethernet().encoded(fragments.get(2)).packet(LinkType.ETHERNET, T0 + 2))).isEqualTo(PacketDecoder.OK);
        assertUdp4Whole(fragments);
        assertThat(h.d.timestampNanos).isEqualTo(T0 + 2);
        assertThat(h.reassembler().fragments).isEqualTo(3);
        assertThat(h.reassembler().reassembled).isEqualTo(1);
        assertThat(h.stats().ipPackets).isEqualTo(1);
    }

    @Test
    void ipv4OutOfOrder() {
        List<byte[]> fragments = Fragments.reversed(Fragments.ipv4(udp4(), 512));
        assertThat(decodeAll(fragments)).isEqualTo(PacketDecoder.OK);
        assertUdp4Whole(fragments);
        List<byte[]> shuffled = new ArrayList<>(Fragments.ipv4(udp4(), 256));
        Collections.shuffle(shuffled, new Random(7));
        assertThat(decodeAll(shuffled)).isEqualTo(PacketDecoder.OK);
        assertUdp4Whole(shuffled);
    }

    @Test
    void ipv4Duplicates() {
        List<byte[]> base = Fragments.ipv4(udp4(), 1024);
        List<byte[]> fragments = List.of(base.get(0), base.get(1), base.get(0), base.get(1), base.get(2));
        assertThat(decodeAll(fragments)).isEqualTo(PacketDecoder.OK);
        assertUdp4Whole(fragments);
        assertThat(h.d.frames).isEqualTo(5);
    }

    @Test
    void ipv4OverlapDropsTheDatagram() {
        byte[] packet = udp4();
        List<byte[]> fragments = Fragments.ipv4(packet, 0, 1480, 1000, 2000, 2000, 3008);
        assertThat(decodeAll(fragments)).isEqualTo(PacketDecoder.FRAGMENT);
        assertThat(h.reassembler().overlapping).isEqualTo(1);
        assertThat(h.reassembler().reassembled).isZero();
        assertThat(h.reassembler().droppedFragments).isEqualTo(3);
        assertThat(h.stats().ipPackets).isZero();
    }

    @Test
    void tinyLastFragmentPaddedByEthernet() {
        // the last fragment carries 8 bytes: the frame is padded to 60 bytes, the padding is not data
        byte[] packet = frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(Arrays.copyOf(data, 16)).bytes();
        List<byte[]> fragments = Fragments.ipv4(packet, 16);
        int r = -1;
        for (byte[] f : fragments) {
            r = h.decode(frame().ethernet().encoded(f).trailer(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE,
                    (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE}).packet(LinkType.ETHERNET));
        }
        assertThat(r).isEqualTo(PacketDecoder.OK);
        assertThat(h.payload()).isEqualTo(Arrays.copyOf(data, 16));
    }

    @Test
    void portsComeFromTheFirstFragmentWhereverItArrives() {
        byte[] packet = frame().ipv4("10.0.0.1", "10.0.0.2").tcp(12345, 443, FrameBuilder.ACK).payload(data).bytes();
        List<byte[]> fragments = Fragments.reversed(Fragments.ipv4(packet, 1000));
        assertThat(decodeAll(fragments)).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.l4).isEqualTo(IpProtocol.TCP);
        assertThat(h.d.srcPort).isEqualTo(12345);
        assertThat(h.d.dstPort).isEqualTo(443);
        assertThat(h.d.tcpFlags).isEqualTo(FrameBuilder.ACK);
        assertThat(h.payload()).isEqualTo(data);
    }

    @Test
    void ipv4IdentificationIsScopedByProtocol() {
        byte[] udp = frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.id = 7).udp(1, 2).payload(data).bytes();
        byte[] tcp = frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.id = 7).tcp(3, 4, FrameBuilder.ACK).payload(data).bytes();
        List<byte[]> u = Fragments.ipv4(udp, 1600);
        List<byte[]> t = Fragments.ipv4(tcp, 1600);
        assertThat(decodeAll(List.of(u.get(0), t.get(0), t.get(1)))).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.l4).isEqualTo(IpProtocol.TCP);
        assertThat(decodeAll(List.of(u.get(1)))).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.l4).isEqualTo(IpProtocol.UDP);
        assertThat(h.d.srcPort).isEqualTo(1);
    }

    @Test
    void ipv6WithExtensionHeaderAfterTheFragmentHeader() {
        byte[] packet = udp6(ip -> ip.hopByHop().routing().destinationOptions(2));
        List<byte[]> fragments = Fragments.ipv6(packet, 0x01020304, 1232);
        assertThat(fragments.get(0)[40 + 8]).as("routing header announces the fragment header").isEqualTo((byte) IpProtocol.IPV6_FRAG);
        assertThat(fragments.get(0)[40 + 8 + 24]).as("fragment header announces destination options").isEqualTo((byte) IpProtocol.IPV6_OPTS);
        assertThat(decodeAll(Fragments.reversed(fragments))).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.ipVersion).isEqualTo(6);
        assertThat(h.src()).isEqualTo(DecoderHarness.canonical("2001:db8::1"));
        assertThat(h.d.l4).isEqualTo(IpProtocol.UDP);
        assertThat(h.d.srcPort).isEqualTo(4500);
        assertThat(h.d.dstPort).isEqualTo(4501);
        assertThat(h.payload()).isEqualTo(data);
        assertThat(h.d.frames).isEqualTo(fragments.size());
        assertThat(h.d.wireBytes).isEqualTo(wire(fragments));
    }

    @Test
    void ipv6OverlapDropsTheDatagram() {
        byte[] packet = udp6(ip -> { });
        assertThat(decodeAll(Fragments.ipv6(packet, 9, 0, 1024, 1016, 2048, 2048, 3008))).isEqualTo(PacketDecoder.FRAGMENT);
        assertThat(h.reassembler().overlapping).isEqualTo(1);
    }

    @Test
    void aSecondFragmentHeaderInsideTheDatagramIsMalformed() {
        byte[] inner = udp6(ip -> ip.fragment(8, true, 5));
        List<byte[]> fragments = Fragments.ipv6(inner, 6, 1024);
        assertThat(decodeAll(fragments)).isEqualTo(PacketDecoder.MALFORMED);
    }

    @Test
    void atomicIpv6FragmentDecodesDirectly() {
        byte[] packet = frame().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.fragment(0, false, 99)).udp(53, 53).payload("dns").bytes();
        assertThat(h.decode(frame().ethernet().encoded(packet).packet(LinkType.ETHERNET))).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.l4).isEqualTo(IpProtocol.UDP);
        assertThat(h.d.dstPort).isEqualTo(53);
        assertThat(h.d.buf).isNotSameAs(h.reassembler().buffer());
        assertThat(h.reassembler().fragments).isZero();
        assertThat(h.d.frames).isEqualTo(1);
    }

    @Test
    void fragmentedTunnelPayloadIsDecodedFromTheReassembledDatagram() {
        byte[] outer = frame().ipv4("203.0.113.1", "203.0.113.2").gre().ipv4("10.1.0.1", "10.2.0.2").udp(7, 9).payload(data).bytes();
        List<byte[]> fragments = Fragments.ipv4(outer, 1400);
        assertThat(decodeAll(fragments)).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.tunnel).isEqualTo(Tunnel.GRE);
        assertThat(h.src()).isEqualTo("10.1.0.1");
        assertThat(h.d.dstPort).isEqualTo(9);
        assertThat(h.payload()).isEqualTo(data);
        assertThat(h.d.frames).isEqualTo(fragments.size());
    }

    @Test
    void fragmentsInsideATunnelAreReassembledWithTheTunnelName() {
        byte[] inner = frame().ipv4("10.1.0.1", "10.2.0.2").udp(7, 9).payload(data).bytes();
        List<byte[]> innerFragments = Fragments.ipv4(inner, 1400);
        int r = -1;
        for (byte[] f : innerFragments) {
            r = h.decode(frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").udp(2152, 2152).gtpu(1).encoded(f).packet(LinkType.ETHERNET));
        }
        assertThat(r).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.tunnel).isEqualTo(Tunnel.GTP);
        assertThat(h.src()).isEqualTo("10.1.0.1");
        assertThat(h.payload()).isEqualTo(data);
        assertThat(h.d.frames).isEqualTo(innerFragments.size());
    }

    @Test
    void fragmentsOverOtherLinkTypes() {
        List<byte[]> fragments = Fragments.ipv4(udp4(), 1480);
        for (byte[] f : fragments.subList(0, 2)) {
            assertThat(h.decode(FrameBuilder.toPacket(f, LinkType.RAW, T0))).isEqualTo(PacketDecoder.FRAGMENT);
        }
        assertThat(h.decode(frame().sll().vlan(4).encoded(fragments.get(2)).packet(LinkType.LINUX_SLL))).isEqualTo(PacketDecoder.OK);
        assertThat(h.d.vlan).isEqualTo(4);
        assertThat(h.payload()).isEqualTo(data);
    }

    @Test
    void capsSeenThroughTheDecoder() {
        IpReassembler small = new IpReassembler(IpReassembler.DEFAULT_MAX_DATAGRAMS, 4, IpReassembler.DEFAULT_TIMEOUT_NANOS);
        DecoderHarness capped = new DecoderHarness(small);
        List<byte[]> fragments = Fragments.ipv4(udp4(), 512); // 6 fragments
        int r = -1;
        for (byte[] f : fragments) {
            r = capped.decode(FrameBuilder.toPacket(f, LinkType.RAW, T0));
        }
        assertThat(r).isEqualTo(PacketDecoder.FRAGMENT);
        assertThat(small.tooManyFragments).isEqualTo(1);
        assertThat(small.droppedFragments).isEqualTo(6);
        assertThat(small.inProgress()).isZero();
    }

    @Test
    void snaplenCutFragmentsNeverComplete() {
        List<byte[]> fragments = Fragments.ipv4(udp4(), 1480);
        Packet first = FrameBuilder.toPacket(Arrays.copyOf(fragments.get(0), 200), LinkType.RAW, T0);
        first.wireLength = fragments.get(0).length;
        assertThat(h.decode(first)).isEqualTo(PacketDecoder.FRAGMENT);
        for (byte[] f : fragments.subList(1, 3)) {
            assertThat(h.decode(FrameBuilder.toPacket(f, LinkType.RAW, T0))).isEqualTo(PacketDecoder.FRAGMENT);
        }
        assertThat(h.reassembler().reassembled).isZero();
    }
}
