package org.fathom.decode;

import static org.fathom.decode.FrameBuilder.ACK;
import static org.fathom.decode.FrameBuilder.SYN;
import static org.fathom.decode.FrameBuilder.frame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.junit.jupiter.params.provider.Arguments;

/** Well-formed frames to mutate: the loopback sample's frames and one of every kind the builder makes. */
final class SeedFrames {
    record Seed(String name, int linkType, byte[] bytes) {
        @Override public String toString() {
            return name + " (" + bytes.length + " bytes, link type " + linkType + ")";
        }
    }

    static final Path SAMPLE = Path.of("../samples/http-loopback.pcap");

    private static List<Seed> all;

    private SeedFrames() {}

    static synchronized List<Seed> all() {
        if (all == null) {
            List<Seed> s = new ArrayList<>();
            s.addAll(sample());
            s.addAll(built());
            all = List.copyOf(s);
        }
        return all;
    }

    static List<Seed> sample() {
        List<Seed> s = new ArrayList<>();
        if (!Files.exists(SAMPLE)) {
            return s;
        }
        Packet p = new Packet();
        try (CaptureReader r = CaptureFiles.open(SAMPLE)) {
            for (int i = 0; r.next(p); i++) {
                s.add(new Seed("sample frame " + i, p.linkType, Arrays.copyOf(p.data, p.length)));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return s;
    }

    static List<Seed> built() {
        List<Seed> s = new ArrayList<>();
        links(s, LinkLayerDecodeTest.ipv4Links().toList(), LinkLayerDecodeTest.tcp4());
        links(s, LinkLayerDecodeTest.ipv6Links().toList(), LinkLayerDecodeTest.tcp6());
        FrameBuilder inner = frame().ipv4("10.1.0.1", "10.2.0.2").tcp(50000, 80, SYN).payload("inner");
        FrameBuilder outer4 = frame().ethernet().ipv4("203.0.113.1", "203.0.113.2");
        add(s, "QinQ", frame().ethernet().qinq(1).vlan(2).then(inner));
        add(s, "MPLS EoMPLS", frame().ethernet().mpls(16, 17).pseudowire().ethernet().vlan(3).then(inner));
        add(s, "PPPoE", frame().ethernet().pppoe(1).then(inner));
        add(s, "GRE keyed", frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").gre(g -> {
            g.checksum = 1;
            g.key = 2;
            g.seq = 3;
        }).then(inner));
        add(s, "PPTP", frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").pptpGre(1, 2, 3).ppp(true, false).then(inner));
        add(s, "ERSPAN II", frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").gre(g -> g.seq = 1).erspanII(1).ethernet().then(inner));
        add(s, "ERSPAN III", frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").gre(g -> g.seq = 1).erspanIII(1, true).ethernet().then(inner));
        add(s, "6in4", frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").ipv6("fd00::1", "fd00::2").udp(1, 2).payload("x"));
        add(s, "4in6", frame().ethernet().ipv6("2001:db8::1", "2001:db8::2").then(inner));
        add(s, "GTP-U seq ext", frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").udp(2152, 2152).gtpu(1, g -> {
            g.sequence = true;
            g.extension = true;
        }).then(inner));
        add(s, "VXLAN", frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").udp(1, 4789).vxlan(1).ethernet().then(inner));
        add(s, "CAPWAP 802.11", frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").udp(1, 5247).capwap(c -> {
            c.ieee80211 = true;
            c.radioMac = true;
        }).wifi(w -> w.qos = true).then(inner));
        add(s, "TZSP 802.11", frame().ethernet().ipv4("203.0.113.1", "203.0.113.2").udp(1, 37008).tzsp(18).wifi().then(inner));
        add(s, "IPv6 ext headers", frame().ethernet().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.hopByHop().routing()
                .destinationOptions(1).authentication(2)).tcp(1, 2, ACK, t -> t.options = new byte[] {1, 1, 4, 2}).payload("p"));
        add(s, "IPv4 options SCTP", frame().ethernet().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.options = new byte[] {(byte) 0x94, 4, 0, 0})
                .sctp(1, 2).payload(new byte[16]));
        add(s, "ICMPv6", frame().ethernet().ipv6("fe80::1", "ff02::1").icmpv6(135, 0).payload(new byte[20]));
        add(s, "NFLOG IPv6", frame().nflog(10).ipv6("2001:db8::1", "2001:db8::2").udp(1, 2), LinkType.NFLOG);
        byte[] big = frame().ipv4("10.0.0.1", "10.0.0.2", ip -> ip.id = 3).udp(1, 2).payload(new byte[100]).bytes();
        for (byte[] f : Fragments.ipv4(big, 48)) {
            add(s, "IPv4 fragment", frame().ethernet().encoded(f));
        }
        byte[] big6 = frame().ipv6("2001:db8::1", "2001:db8::2", ip -> ip.destinationOptions(1)).udp(1, 2).payload(new byte[100]).bytes();
        for (byte[] f : Fragments.ipv6(big6, 4, 48)) {
            add(s, "IPv6 fragment", frame().ethernet().encoded(f));
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static void links(List<Seed> s, List<Arguments> links, FrameBuilder payload) {
        for (Arguments a : links) {
            Object[] args = a.get();
            FrameBuilder f = ((Supplier<FrameBuilder>) args[2]).get().then(payload);
            s.add(new Seed((String) args[0], (Integer) args[1], f.bytes()));
        }
    }

    private static void add(List<Seed> s, String name, FrameBuilder f) {
        add(s, name, f, LinkType.ETHERNET);
    }

    private static void add(List<Seed> s, String name, FrameBuilder f, int linkType) {
        s.add(new Seed(name, linkType, f.bytes()));
    }
}
