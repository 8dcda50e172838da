package org.fathom.decode;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.fathom.capture.Packet;

/**
 * Composes test frames layer by layer, outermost first:
 *
 * <pre>{@code
 * frame().ethernet().vlan(10).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80, SYN).payload("GET /")
 * }</pre>
 *
 * <p>Encoding runs innermost first, so every layer knows what it wraps: type fields (EtherType, IP
 * protocol, PPP protocol) come from the next layer, lengths from the encoded inner bytes, and TCP,
 * UDP and ICMPv6 checksums from the enclosing IP header. A test states only what it cares about;
 * the {@code Consumer} overloads reach the rarer fields (TTL, options, fragment flags, ...), and
 * plain fields such as {@code totalLength} exist to break a header on purpose.
 */
final class FrameBuilder {
    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20;

    private final List<Layer> layers = new ArrayList<>();
    private byte[] trailer = new byte[0];

    private FrameBuilder() {}

    static FrameBuilder frame() {
        return new FrameBuilder();
    }

    // ------------------------------------------------------------------ output

    /** The encoded frame. */
    byte[] bytes() {
        byte[] inner = new byte[0];
        for (int i = layers.size() - 1; i >= 0; i--) {
            inner = layers.get(i).encode(inner, new Ctx(this, i));
        }
        return concat(inner, trailer);
    }

    /** A {@link Packet} holding the frame, as a capture reader would fill it. */
    Packet packet(int linkType) {
        return packet(linkType, 1_700_000_000_000_000_000L);
    }

    Packet packet(int linkType, long timestampNanos) {
        return toPacket(bytes(), linkType, timestampNanos);
    }

    static Packet toPacket(byte[] frame, int linkType, long timestampNanos) {
        Packet p = new Packet();
        System.arraycopy(frame, 0, p.data, 0, frame.length);
        p.length = frame.length;
        p.wireLength = frame.length;
        p.linkType = linkType;
        p.timestampNanos = timestampNanos;
        return p;
    }

    /** Bytes appended after the whole frame: Ethernet padding, an FCS, junk. */
    FrameBuilder trailer(byte[] bytes) {
        trailer = bytes.clone();
        return this;
    }

    // ------------------------------------------------------------------ link layers

    FrameBuilder ethernet() {
        return add(new Ethernet(-1));
    }

    /** Ethernet with an explicit EtherType (or an 802.3 length when at most 1500). */
    FrameBuilder ethernet(int etherType) {
        return add(new Ethernet(etherType));
    }

    /** IEEE 802.3 with a length field, LLC and SNAP carrying the EtherType of the next layer. */
    FrameBuilder ieee8023Snap() {
        return add(new Ieee8023(true, 0));
    }

    /** IEEE 802.3 with a plain LLC header (DSAP = SSAP = {@code sap}), e.g. 0x42 for STP. */
    FrameBuilder ieee8023Llc(int sap) {
        return add(new Ieee8023(false, sap));
    }

    FrameBuilder sll() {
        return add(new Sll(false));
    }

    FrameBuilder sll2() {
        return add(new Sll(true));
    }

    /** BSD NULL loopback header: the address family in the capturing host's byte order. */
    FrameBuilder nullLoopback(int addressFamily, boolean littleEndian) {
        return add(new NullLoopback(addressFamily, littleEndian));
    }

    /** OpenBSD LOOP header: the address family in network byte order. */
    FrameBuilder loop(int addressFamily) {
        return add(new NullLoopback(addressFamily, false));
    }

    /** PPP, optionally with the HDLC address/control bytes FF 03 and a compressed protocol field. */
    FrameBuilder ppp(boolean hdlcAddressControl, boolean compressedProtocol) {
        return add(new Ppp(hdlcAddressControl, compressedProtocol, -1));
    }

    /** PPP with an explicit protocol number (e.g. 0xC021 for LCP). */
    FrameBuilder pppProtocol(int protocol) {
        return add(new Ppp(true, false, protocol));
    }

    FrameBuilder ciscoHdlc() {
        return add(new CiscoHdlc(-1));
    }

    FrameBuilder ciscoHdlc(int protocol) {
        return add(new CiscoHdlc(protocol));
    }

    /** PPI header announcing {@code dlt}; with a field (802.11-common) when {@code withField}. */
    FrameBuilder ppi(int dlt, boolean withField) {
        return add(new Ppi(dlt, withField));
    }

    FrameBuilder radiotap(Consumer<Radiotap> config) {
        Radiotap r = new Radiotap();
        config.accept(r);
        return add(r);
    }

    /** An 802.11 data frame (From DS), LLC/SNAP inside. */
    FrameBuilder wifi() {
        return wifi(w -> { });
    }

    FrameBuilder wifi(Consumer<Wifi> config) {
        Wifi w = new Wifi();
        config.accept(w);
        return add(w);
    }

    /** Linux NFLOG: a packet header TLV, a prefix TLV, then the payload TLV. */
    FrameBuilder nflog(int family) {
        return add(new Nflog(family));
    }

    // ------------------------------------------------------------------ between link and IP

    FrameBuilder vlan(int id) {
        return add(new Vlan(PacketDecoder.ETH_VLAN, id));
    }

    /** An 802.1ad service tag (TPID 0x88A8); follow it with {@link #vlan} for QinQ. */
    FrameBuilder qinq(int id) {
        return add(new Vlan(PacketDecoder.ETH_QINQ, id));
    }

    FrameBuilder vlanTag(int tpid, int id) {
        return add(new Vlan(tpid, id));
    }

    /** An MPLS label stack, bottom of stack on the last label. */
    FrameBuilder mpls(int... labels) {
        return add(new Mpls(labels));
    }

    /** MPLS pseudowire control word; an Ethernet frame follows (EoMPLS). */
    FrameBuilder pseudowire() {
        return add(new Opaque(new byte[4], -1, -1));
    }

    FrameBuilder pppoe(int session) {
        return add(new Pppoe(session));
    }

    FrameBuilder arp() {
        byte[] body = {0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2};
        return add(new Opaque(body, PacketDecoder.ETH_ARP, -1));
    }

    // ------------------------------------------------------------------ IP

    FrameBuilder ipv4(String src, String dst) {
        return ipv4(src, dst, ip -> { });
    }

    FrameBuilder ipv4(String src, String dst, Consumer<Ipv4> config) {
        Ipv4 ip = new Ipv4(address(src, 4), address(dst, 4));
        config.accept(ip);
        return add(ip);
    }

    FrameBuilder ipv6(String src, String dst) {
        return ipv6(src, dst, ip -> { });
    }

    FrameBuilder ipv6(String src, String dst, Consumer<Ipv6> config) {
        Ipv6 ip = new Ipv6(address(src, 16), address(dst, 16));
        config.accept(ip);
        return add(ip);
    }

    // ------------------------------------------------------------------ L4

    FrameBuilder tcp(int srcPort, int dstPort, int flags) {
        return tcp(srcPort, dstPort, flags, t -> { });
    }

    FrameBuilder tcp(int srcPort, int dstPort, int flags, Consumer<Tcp> config) {
        Tcp t = new Tcp(srcPort, dstPort, flags);
        config.accept(t);
        return add(t);
    }

    FrameBuilder udp(int srcPort, int dstPort) {
        return udp(srcPort, dstPort, u -> { });
    }

    FrameBuilder udp(int srcPort, int dstPort, Consumer<Udp> config) {
        Udp u = new Udp(srcPort, dstPort);
        config.accept(u);
        return add(u);
    }

    /** SCTP common header (verification tag, checksum); add chunks as payload. */
    FrameBuilder sctp(int srcPort, int dstPort) {
        return add(new Sctp(srcPort, dstPort));
    }

    /** ICMP echo-style message: type, code, checksum, then identifier 1 and sequence 1. */
    FrameBuilder icmp(int type, int code) {
        return add(new Icmp(type, code, false));
    }

    FrameBuilder icmpv6(int type, int code) {
        return add(new Icmp(type, code, true));
    }

    /** The payload of any other IP protocol (ESP, OSPF, ...): raw bytes announced as {@code protocol}. */
    FrameBuilder ipPayload(int protocol, byte[] body) {
        return add(new Opaque(body, -1, protocol));
    }

    // ------------------------------------------------------------------ tunnels

    /** GRE version 0; the protocol type comes from the next layer. */
    FrameBuilder gre(Consumer<Gre> config) {
        Gre g = new Gre();
        config.accept(g);
        return add(g);
    }

    FrameBuilder gre() {
        return gre(g -> { });
    }

    /** Enhanced GRE (version 1, PPTP): key field with payload length and call id; PPP follows. */
    FrameBuilder pptpGre(int callId, Integer seq, Integer ack) {
        return gre(g -> {
            g.version = 1;
            g.key = callId;
            g.seq = seq;
            g.ack = ack;
        });
    }

    /** ERSPAN type II header (GRE protocol 0x88BE); an Ethernet frame follows. */
    FrameBuilder erspanII(int session) {
        return add(new Erspan(2, session));
    }

    FrameBuilder erspanIII(int session, boolean platformSubheader) {
        Erspan e = new Erspan(3, session);
        e.platformSubheader = platformSubheader;
        return add(e);
    }

    /** GTPv1-U T-PDU header; optionally the sequence number and one extension header. */
    FrameBuilder gtpu(int teid, Consumer<Gtpu> config) {
        Gtpu g = new Gtpu(teid);
        config.accept(g);
        return add(g);
    }

    FrameBuilder gtpu(int teid) {
        return gtpu(teid, g -> { });
    }

    FrameBuilder vxlan(int vni) {
        return add(new Vxlan(vni));
    }

    /** CAPWAP data header; the frame that follows is 802.11 (native, T=1) or 802.3. */
    FrameBuilder capwap(Consumer<Capwap> config) {
        Capwap c = new Capwap();
        config.accept(c);
        return add(c);
    }

    /** TZSP received-frame header with a signal tag, padding and the end tag; 1 = Ethernet, 18 = 802.11. */
    FrameBuilder tzsp(int encapsulation) {
        return add(new Tzsp(encapsulation));
    }

    // ------------------------------------------------------------------ payload

    FrameBuilder payload(byte[] bytes) {
        return add(new Opaque(bytes, -1, -1));
    }

    FrameBuilder payload(String text) {
        return payload(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Opaque, already encoded bytes, e.g. an IP packet from {@link Fragments}; its EtherType follows its version nibble. */
    FrameBuilder encoded(byte[] bytes) {
        int v = bytes.length > 0 ? (bytes[0] & 0xF0) >>> 4 : 0;
        int etherType = v == 4 ? PacketDecoder.ETH_IPV4 : v == 6 ? PacketDecoder.ETH_IPV6 : -1;
        int proto = v == 4 ? 4 : v == 6 ? 41 : -1;
        return add(new Opaque(bytes, etherType, proto, v == 4 ? 0x21 : v == 6 ? 0x57 : -1));
    }

    /** Appends the layers of {@code rest}, e.g. a shared inner packet after a link layer under test. */
    FrameBuilder then(FrameBuilder rest) {
        layers.addAll(rest.layers);
        return this;
    }

    /** LLC/SNAP (AA AA 03, OUI 0) with the next layer's EtherType; after a VLAN tag it gets a length. */
    FrameBuilder llcSnap() {
        return add(new LlcSnap());
    }

    private FrameBuilder add(Layer layer) {
        layers.add(layer);
        return this;
    }

    // ================================================================== layers

    /** Position of a layer while encoding: what follows it and what encloses it. */
    record Ctx(FrameBuilder frame, int index) {
        Layer next() {
            return index + 1 < frame.layers.size() ? frame.layers.get(index + 1) : null;
        }

        int nextEtherType() {
            Layer n = next();
            int t = n == null ? -1 : n.etherType();
            if (t < 0) {
                throw new IllegalStateException("no EtherType for " + n + " after layer " + index);
            }
            return t;
        }

        int nextIpProtocol() {
            Layer n = next();
            int p = n == null ? IpProtocol.IPV6_NONXT : n.ipProtocol();
            if (p < 0) {
                throw new IllegalStateException("no IP protocol for " + n + " after layer " + index);
            }
            return p;
        }

        int nextPppProtocol() {
            Layer n = next();
            int p = n == null ? -1 : n.pppProtocol();
            if (p < 0) {
                throw new IllegalStateException("no PPP protocol for " + n + " after layer " + index);
            }
            return p;
        }

        /** The nearest IP layer before this one, for pseudo-header checksums. */
        Layer enclosingIp() {
            for (int i = index - 1; i >= 0; i--) {
                Layer l = frame.layers.get(i);
                if (l instanceof Ipv4 || l instanceof Ipv6) {
                    return l;
                }
            }
            return null;
        }
    }

    abstract static class Layer {
        int etherType() {
            return -1;
        }

        int ipProtocol() {
            return -1;
        }

        int pppProtocol() {
            return -1;
        }

        abstract byte[] encode(byte[] inner, Ctx ctx);
    }

    static final class Opaque extends Layer {
        final byte[] body;
        final int etherType, ipProtocol, pppProtocol;

        Opaque(byte[] body, int etherType, int ipProtocol) {
            this(body, etherType, ipProtocol, -1);
        }

        Opaque(byte[] body, int etherType, int ipProtocol, int pppProtocol) {
            this.body = body.clone();
            this.etherType = etherType;
            this.ipProtocol = ipProtocol;
            this.pppProtocol = pppProtocol;
        }

        @Override int etherType() {
            return etherType;
        }

        @Override int ipProtocol() {
            return ipProtocol;
        }

        @Override int pppProtocol() {
            return pppProtocol;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            return concat(body, inner);
        }
    }

    static final class Ethernet extends Layer {
        final int type;
        byte[] dst = {2, 0, 0, 0, 0, 2};
        byte[] src = {2, 0, 0, 0, 0, 1};

        Ethernet(int type) {
            this.type = type;
        }

        @Override int etherType() {
            return PacketDecoder.ETH_TEB; // Ethernet inside GRE
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            return new Bytes().bytes(dst).bytes(src).u16(type >= 0 ? type : ctx.nextEtherType()).bytes(inner).toArray();
        }
    }

    static final class Ieee8023 extends Layer {
        final boolean snap;
        final int sap;

        Ieee8023(boolean snap, int sap) {
            this.snap = snap;
            this.sap = sap;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            Bytes llc = new Bytes();
            if (snap) {
                llc.u8(0xAA).u8(0xAA).u8(0x03).u8(0).u8(0).u8(0).u16(ctx.nextEtherType());
            } else {
                llc.u8(sap).u8(sap).u8(0x03);
            }
            byte[] body = concat(llc.toArray(), inner);
            return new Bytes().bytes(new byte[] {1, (byte) 0x80, (byte) 0xC2, 0, 0, 0}).bytes(new byte[] {2, 0, 0, 0, 0, 1})
                    .u16(body.length).bytes(body).toArray();
        }
    }

    static final class Sll extends Layer {
        final boolean v2;

        Sll(boolean v2) {
            this.v2 = v2;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            int proto = ctx.nextEtherType();
            Bytes b = new Bytes();
            if (v2) {
                b.u16(proto).u16(0).u32(3).u16(1).u8(0).u8(6).bytes(new byte[] {2, 0, 0, 0, 0, 1, 0, 0});
            } else {
                b.u16(0).u16(1).u16(6).bytes(new byte[] {2, 0, 0, 0, 0, 1, 0, 0}).u16(proto);
            }
            return b.bytes(inner).toArray();
        }
    }

    static final class NullLoopback extends Layer {
        final int family;
        final boolean littleEndian;

        NullLoopback(int family, boolean littleEndian) {
            this.family = family;
            this.littleEndian = littleEndian;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            Bytes b = new Bytes();
            if (littleEndian) {
                b.u32le(family);
            } else {
                b.u32(family);
            }
            return b.bytes(inner).toArray();
        }
    }

    static final class Ppp extends Layer {
        final boolean hdlc, compressed;
        final int protocol;

        Ppp(boolean hdlc, boolean compressed, int protocol) {
            this.hdlc = hdlc;
            this.compressed = compressed;
            this.protocol = protocol;
        }

        @Override int etherType() {
            return PacketDecoder.ETH_PPP;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            Bytes b = new Bytes();
            if (hdlc) {
                b.u8(0xFF).u8(0x03);
            }
            int p = protocol >= 0 ? protocol : ctx.nextPppProtocol();
            if (compressed && p < 0x100) {
                b.u8(p);
            } else {
                b.u16(p);
            }
            return b.bytes(inner).toArray();
        }
    }

    static final class CiscoHdlc extends Layer {
        final int protocol;

        CiscoHdlc(int protocol) {
            this.protocol = protocol;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            return new Bytes().u8(0x0F).u8(0).u16(protocol >= 0 ? protocol : ctx.nextEtherType()).bytes(inner).toArray();
        }
    }

    static final class Ppi extends Layer {
        final int dlt;
        final boolean withField;

        Ppi(int dlt, boolean withField) {
            this.dlt = dlt;
            this.withField = withField;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            Bytes fields = new Bytes();
            if (withField) {
                fields.u16le(2).u16le(20).zeros(20); // 802.11-Common
            }
            byte[] f = fields.toArray();
            return new Bytes().u8(0).u8(0).u16le(8 + f.length).u32le(dlt).bytes(f).bytes(inner).toArray();
        }
    }

    /** Radiotap header: TSFT (optional), Flags, Rate, Channel, antenna signal; FCS appended when flagged. */
    static final class Radiotap extends Layer {
        boolean tsft;
        boolean fcs;
        /** Add a second (empty) present word, as vendors and newer drivers do. */
        boolean extendedPresent;

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            int present = 0x2 | 0x4 | 0x8 | 0x20 | (tsft ? 0x1 : 0) | (extendedPresent ? 0x8000_0000 : 0);
            Bytes b = new Bytes().u8(0).u8(0).u16le(0).u32le(present);
            if (extendedPresent) {
                b.u32le(0);
            }
            if (tsft) {
                while (b.size() % 8 != 0) {
                    b.u8(0);
                }
                b.u32le(0x12345678).u32le(0x9);
            }
            b.u8(fcs ? 0x10 : 0x00); // flags
            b.u8(0x0C); // rate 6 Mb/s
            b.u16le(2437).u16le(0x00A0); // channel: 2.4 GHz, 2-byte aligned (offset is even here)
            b.u8(0xD0); // antenna signal -48 dBm
            byte[] h = b.toArray();
            h[2] = (byte) h.length;
            h[3] = (byte) (h.length >>> 8);
            byte[] body = fcs ? concat(inner, new byte[] {0x11, 0x22, 0x33, 0x44}) : inner;
            return concat(h, body);
        }
    }

    /** An 802.11 data frame with LLC/SNAP, or an encrypted body when {@code protectedFrame}. */
    static final class Wifi extends Layer {
        boolean qos;
        boolean htControl;
        boolean fourAddress;
        boolean protectedFrame;
        boolean nullData;
        /** 0 management, 1 control, 2 data. */
        int type = 2;

        @Override int etherType() {
            return -1;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            int subtype = (qos ? 0x8 : 0) | (nullData ? 0x4 : 0);
            int fc = (type << 2) | (subtype << 4);
            fc |= fourAddress ? 0x0300 : 0x0200; // FromDS (and ToDS for WDS)
            if (protectedFrame) {
                fc |= 0x4000;
            }
            if (htControl) {
                fc |= 0x8000;
            }
            Bytes b = new Bytes().u16le(fc).u16le(44);
            b.bytes(new byte[] {2, 0, 0, 0, 0, 2}).bytes(new byte[] {2, 0, 0, 0, 0, 3}).bytes(new byte[] {2, 0, 0, 0, 0, 1});
            b.u16le(0x10); // sequence control
            if (fourAddress) {
                b.bytes(new byte[] {2, 0, 0, 0, 0, 4});
            }
            if (qos) {
                b.u16le(0);
                if (htControl) {
                    b.u32le(0);
                }
            }
            if (nullData) {
                return b.toArray();
            }
            if (type != 2) {
                return b.bytes(inner).toArray(); // management or control body
            }
            if (protectedFrame) {
                // CCMP header, ciphertext, MIC: nothing an IP decoder can read
                return b.bytes(new byte[] {1, 0, 0, 0x20, 0, 0, 0, 0}).bytes(scramble(inner)).zeros(8).toArray();
            }
            return b.u8(0xAA).u8(0xAA).u8(0x03).u8(0).u8(0).u8(0).u16(ctx.nextEtherType()).bytes(inner).toArray();
        }
    }

    static final class Nflog extends Layer {
        final int family;

        Nflog(int family) {
            this.family = family;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            Bytes b = new Bytes().u8(family).u8(0).u16(0);
            tlv(b, 1, new Bytes().u16(family == 10 ? 0x86DD : 0x0800).u8(1).u8(0).toArray()); // NFULA_PACKET_HDR
            tlv(b, 10, "fathom\0".getBytes(StandardCharsets.US_ASCII)); // NFULA_PREFIX, 7 bytes: needs padding
            tlv(b, 9, inner); // NFULA_PAYLOAD
            return b.toArray();
        }

        private static void tlv(Bytes b, int type, byte[] value) {
            b.u16le(4 + value.length).u16le(type).bytes(value);
            while (b.size() % 4 != 0) {
                b.u8(0);
            }
        }
    }

    static final class Vlan extends Layer {
        final int tpid, id;

        Vlan(int tpid, int id) {
            this.tpid = tpid;
            this.id = id;
        }

        @Override int etherType() {
            return tpid;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            int type = ctx.next() instanceof LlcSnap ? inner.length : ctx.nextEtherType();
            return new Bytes().u16((3 << 13) | id).u16(type).bytes(inner).toArray();
        }
    }

    static final class LlcSnap extends Layer {
        @Override byte[] encode(byte[] inner, Ctx ctx) {
            return new Bytes().u8(0xAA).u8(0xAA).u8(0x03).u8(0).u8(0).u8(0).u16(ctx.nextEtherType()).bytes(inner).toArray();
        }
    }

    static final class Mpls extends Layer {
        final int[] labels;

        Mpls(int[] labels) {
            this.labels = labels.clone();
        }

        @Override int etherType() {
            return PacketDecoder.ETH_MPLS;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            Bytes b = new Bytes();
            for (int i = 0; i < labels.length; i++) {
                boolean bottom = i == labels.length - 1;
                b.u32(labels[i] << 12 | (bottom ? 0x100 : 0) | 64);
            }
            return b.bytes(inner).toArray();
        }
    }

    static final class Pppoe extends Layer {
        final int session;

        Pppoe(int session) {
            this.session = session;
        }

        @Override int etherType() {
            return PacketDecoder.ETH_PPPOE_SESSION;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            return new Bytes().u8(0x11).u8(0).u16(session).u16(inner.length + 2).u16(ctx.nextPppProtocol()).bytes(inner).toArray();
        }
    }

    static final class Ipv4 extends Layer {
        final byte[] src, dst;
        int ttl = 64;
        int id = 0x1234;
        boolean dontFragment;
        boolean moreFragments;
        /** Fragment offset in bytes (a multiple of 8). */
        int fragmentOffset;
        byte[] options = new byte[0];
        /** Overrides, -1 for the computed value. */
        int protocol = -1, totalLength = -1, ihl = -1, version = 4;

        Ipv4(byte[] src, byte[] dst) {
            this.src = src;
            this.dst = dst;
        }

        @Override int etherType() {
            return PacketDecoder.ETH_IPV4;
        }

        @Override int ipProtocol() {
            return IpProtocol.IPIP;
        }

        @Override int pppProtocol() {
            return 0x21;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            byte[] opts = Arrays.copyOf(options, (options.length + 3) & ~3);
            int hlen = 20 + opts.length;
            int flags = (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset / 8);
            Bytes b = new Bytes().u8(version << 4 | (ihl >= 0 ? ihl : hlen / 4)).u8(0)
                    .u16(totalLength >= 0 ? totalLength : hlen + inner.length).u16(id).u16(flags).u8(ttl)
                    .u8(protocol >= 0 ? protocol : ctx.nextIpProtocol()).u16(0).bytes(src).bytes(dst).bytes(opts);
            byte[] h = b.toArray();
            int sum = checksum(h, 0, h.length, 0);
            h[10] = (byte) (sum >>> 8);
            h[11] = (byte) sum;
            return concat(h, inner);
        }

        long pseudoSum(int proto, int length) {
            return sum(src) + sum(dst) + proto + length;
        }
    }

    /** IPv6 with extension headers in the given order; the last one's next header is the next layer. */
    static final class Ipv6 extends Layer {
        final byte[] src, dst;
        int hopLimit = 64;
        int payloadLength = -1;
        int nextHeader = -1;
        final List<int[]> extTypes = new ArrayList<>();
        final List<byte[]> extBodies = new ArrayList<>();

        Ipv6(byte[] src, byte[] dst) {
            this.src = src;
            this.dst = dst;
        }

        /** Hop-by-hop options: a router alert and PadN, 8 bytes in all. */
        Ipv6 hopByHop() {
            return ext(IpProtocol.HOPOPT, new byte[] {5, 2, 0, 0, 1, 0});
        }

        /** Routing header type 0 (segments left 0) with one address: 24 bytes. */
        Ipv6 routing() {
            byte[] body = new byte[22];
            body[0] = 0; // type 0
            body[1] = 0; // segments left
            body[6] = 0x20; // the address, after 4 reserved bytes
            return ext(IpProtocol.IPV6_ROUTE, body);
        }

        /** Destination options of {@code units} 8-byte units, filled with PadN. */
        Ipv6 destinationOptions(int units) {
            byte[] body = new byte[units * 8 - 2];
            body[0] = 1; // PadN
            body[1] = (byte) (body.length - 2);
            return ext(IpProtocol.IPV6_OPTS, body);
        }

        Ipv6 fragment(int offset, boolean more, int id) {
            byte[] body = new Bytes().u8(0).u16(offset | (more ? 1 : 0)).u32(id).toArray();
            return ext(IpProtocol.IPV6_FRAG, body);
        }

        /** Authentication header with {@code icvWords} 32-bit words of ICV (RFC 4302: length in 4-byte units minus 2). */
        Ipv6 authentication(int icvWords) {
            byte[] body = new byte[10 + icvWords * 4];
            return ext(IpProtocol.AH, body);
        }

        /** Any header with the generic (length + 1) * 8 layout, e.g. mobility (135). */
        Ipv6 ext(int type, byte[] bodyAfterNextAndLength) {
            extTypes.add(new int[] {type});
            extBodies.add(bodyAfterNextAndLength.clone());
            return this;
        }

        @Override int etherType() {
            return PacketDecoder.ETH_IPV6;
        }

        @Override int ipProtocol() {
            return IpProtocol.IPV6;
        }

        @Override int pppProtocol() {
            return 0x57;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            int upper = ctx.nextIpProtocol();
            byte[] chain = inner;
            int next = upper;
            for (int i = extTypes.size() - 1; i >= 0; i--) {
                int type = extTypes.get(i)[0];
                byte[] body = extBodies.get(i);
                Bytes h = new Bytes().u8(next);
                if (type == IpProtocol.IPV6_FRAG) {
                    h.bytes(body);
                } else if (type == IpProtocol.AH) {
                    int total = 2 + body.length;
                    h.u8(total / 4 - 2).bytes(body);
                } else {
                    int total = (2 + body.length + 7) & ~7;
                    h.u8(total / 8 - 1).bytes(body).zeros(total - 2 - body.length);
                }
                chain = concat(h.toArray(), chain);
                next = type;
            }
            Bytes b = new Bytes().u32(0x6000_0000).u16(payloadLength >= 0 ? payloadLength : chain.length)
                    .u8(nextHeader >= 0 ? nextHeader : next).u8(hopLimit).bytes(src).bytes(dst);
            return concat(b.toArray(), chain);
        }

        long pseudoSum(int proto, int length) {
            return sum(src) + sum(dst) + proto + length;
        }
    }

    static final class Tcp extends Layer {
        final int srcPort, dstPort, flags;
        int seq = 1000, ack = 0, window = 65535, urgent = 0;
        byte[] options = new byte[0];
        /** Header length override in bytes, -1 for the computed value. */
        int dataOffset = -1;

        Tcp(int srcPort, int dstPort, int flags) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
            this.flags = flags;
        }

        @Override int ipProtocol() {
            return IpProtocol.TCP;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            byte[] opts = Arrays.copyOf(options, (options.length + 3) & ~3);
            int hlen = 20 + opts.length;
            int off = dataOffset >= 0 ? dataOffset : hlen;
            byte[] seg = new Bytes().u16(srcPort).u16(dstPort).u32(seq).u32(ack).u8((off / 4) << 4).u8(flags)
                    .u16(window).u16(0).u16(urgent).bytes(opts).bytes(inner).toArray();
            setChecksum(seg, 16, ctx, IpProtocol.TCP);
            return seg;
        }
    }

    static final class Udp extends Layer {
        final int srcPort, dstPort;
        int length = -1;

        Udp(int srcPort, int dstPort) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
        }

        @Override int ipProtocol() {
            return IpProtocol.UDP;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            byte[] d = new Bytes().u16(srcPort).u16(dstPort).u16(length >= 0 ? length : 8 + inner.length).u16(0)
                    .bytes(inner).toArray();
            setChecksum(d, 6, ctx, IpProtocol.UDP);
            return d;
        }
    }

    static final class Sctp extends Layer {
        final int srcPort, dstPort;

        Sctp(int srcPort, int dstPort) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
        }

        @Override int ipProtocol() {
            return IpProtocol.SCTP;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            return new Bytes().u16(srcPort).u16(dstPort).u32(0xCAFE).u32(0).bytes(inner).toArray();
        }
    }

    static final class Icmp extends Layer {
        final int type, code;
        final boolean v6;

        Icmp(int type, int code, boolean v6) {
            this.type = type;
            this.code = code;
            this.v6 = v6;
        }

        @Override int ipProtocol() {
            return v6 ? IpProtocol.ICMPV6 : IpProtocol.ICMP;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            byte[] m = new Bytes().u8(type).u8(code).u16(0).u16(1).u16(1).bytes(inner).toArray();
            if (v6) {
                setChecksum(m, 2, ctx, IpProtocol.ICMPV6);
            } else {
                int s = checksum(m, 0, m.length, 0);
                m[2] = (byte) (s >>> 8);
                m[3] = (byte) s;
            }
            return m;
        }
    }

    static final class Gre extends Layer {
        int version;
        /** Optional fields, null when absent. */
        Integer checksum, key, seq, ack;
        /** Protocol type override, -1 for the next layer's EtherType. */
        int protocol = -1;

        @Override int ipProtocol() {
            return IpProtocol.GRE;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            int proto = protocol >= 0 ? protocol : ctx.nextEtherType();
            Bytes b = new Bytes();
            if (version == 1) {
                int flags = 0x2000 | (seq != null ? 0x1000 : 0) | (ack != null ? 0x0080 : 0) | 1;
                b.u16(flags).u16(proto).u16(inner.length).u16(key == null ? 0 : key);
                if (seq != null) {
                    b.u32(seq);
                }
                if (ack != null) {
                    b.u32(ack);
                }
            } else {
                int flags = (checksum != null ? 0x8000 : 0) | (key != null ? 0x2000 : 0) | (seq != null ? 0x1000 : 0) | version;
                b.u16(flags).u16(proto);
                if (checksum != null) {
                    b.u16(checksum).u16(0);
                }
                if (key != null) {
                    b.u32(key);
                }
                if (seq != null) {
                    b.u32(seq);
                }
            }
            return b.bytes(inner).toArray();
        }
    }

    static final class Erspan extends Layer {
        final int type, session;
        boolean platformSubheader;

        Erspan(int type, int session) {
            this.type = type;
            this.session = session;
        }

        @Override int etherType() {
            return type == 2 ? PacketDecoder.ETH_ERSPAN2 : PacketDecoder.ETH_ERSPAN3;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            Bytes b = new Bytes();
            if (type == 2) {
                b.u16(1 << 12 | 7).u16(session & 0x3FF).u32(0);
            } else {
                b.u16(2 << 12 | 7).u16(session & 0x3FF).u32(0x0102_0304).u16(0).u16(platformSubheader ? 1 : 0);
                if (platformSubheader) {
                    b.zeros(8);
                }
            }
            return b.bytes(inner).toArray();
        }
    }

    static final class Gtpu extends Layer {
        final int teid;
        boolean sequence;
        /** Adds a PDU session container extension header (type 0x85). */
        boolean extension;
        /** Message type; 0xFF is a T-PDU, 1 an echo request. */
        int messageType = 0xFF;

        Gtpu(int teid) {
            this.teid = teid;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            Bytes opt = new Bytes();
            if (sequence || extension) {
                opt.u16(sequence ? 42 : 0).u8(0).u8(extension ? 0x85 : 0);
                if (extension) {
                    opt.u8(1).u8(0x10).u8(0x09).u8(0); // 4 bytes, QFI 9, no next extension
                }
            }
            byte[] o = opt.toArray();
            int flags = 0x30 | (extension ? 0x04 : 0) | (sequence ? 0x02 : 0);
            return new Bytes().u8(flags).u8(messageType).u16(o.length + inner.length).u32(teid).bytes(o).bytes(inner).toArray();
        }
    }

    static final class Vxlan extends Layer {
        final int vni;

        Vxlan(int vni) {
            this.vni = vni;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            return new Bytes().u8(0x08).zeros(3).u32(vni << 8).bytes(inner).toArray();
        }
    }

    static final class Capwap extends Layer {
        /** 802.11 native frame (T=1, WBID=1) rather than 802.3. */
        boolean ieee80211;
        /** Include the optional radio MAC address (M bit), making the header 16 bytes. */
        boolean radioMac;
        boolean keepAlive;
        boolean fragment;
        int fragmentOffset;

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            int hlenWords = radioMac ? 4 : 2;
            int word = hlenWords << 19 | 0 << 14 | 1 << 9 | (ieee80211 ? 0x100 : 0) | (fragment ? 0x80 : 0)
                    | (radioMac ? 0x10 : 0) | (keepAlive ? 0x08 : 0);
            Bytes b = new Bytes().u32(word).u16(fragment ? 7 : 0).u16(fragmentOffset << 3);
            if (radioMac) {
                b.u8(6).bytes(new byte[] {2, 0, 0, 0, 0, 9}).u8(0); // length, MAC, pad to 4
            }
            return b.bytes(inner).toArray();
        }
    }

    static final class Tzsp extends Layer {
        final int encapsulation;

        Tzsp(int encapsulation) {
            this.encapsulation = encapsulation;
        }

        @Override byte[] encode(byte[] inner, Ctx ctx) {
            return new Bytes().u8(1).u8(0).u16(encapsulation)
                    .u8(10).u8(1).u8(0xD0) // TAG_SIGNAL
                    .u8(0) // TAG_PADDING
                    .u8(1) // TAG_END
                    .bytes(inner).toArray();
        }
    }

    // ================================================================== helpers

    static byte[] address(String text, int size) {
        try {
            byte[] a = InetAddress.getByName(text).getAddress();
            if (a.length == size) {
                return a;
            }
            if (size == 16 && a.length == 4) {
                byte[] m = new byte[16];
                m[10] = m[11] = (byte) 0xFF;
                System.arraycopy(a, 0, m, 12, 4);
                return m;
            }
            throw new IllegalArgumentException(text + " is not an IPv" + (size == 4 ? 4 : 6) + " address");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static void setChecksum(byte[] segment, int at, Ctx ctx, int proto) {
        Layer ip = ctx.enclosingIp();
        if (ip == null) {
            return;
        }
        long pseudo = ip instanceof Ipv4 v4 ? v4.pseudoSum(proto, segment.length) : ((Ipv6) ip).pseudoSum(proto, segment.length);
        int s = checksum(segment, 0, segment.length, pseudo);
        if (s == 0 && proto == IpProtocol.UDP) {
            s = 0xFFFF;
        }
        segment[at] = (byte) (s >>> 8);
        segment[at + 1] = (byte) s;
    }

    private static long sum(byte[] b) {
        long s = 0;
        for (int i = 0; i + 1 < b.length; i += 2) {
            s += (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
        }
        return s;
    }

    /** Internet checksum (RFC 1071) of {@code b[off, off+len)} plus an initial sum. */
    static int checksum(byte[] b, int off, int len, long initial) {
        long s = initial;
        int i = off;
        for (; i + 1 < off + len; i += 2) {
            s += (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
        }
        if (i < off + len) {
            s += (b[i] & 0xFF) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] scramble(byte[] b) {
        byte[] r = b.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] ^= (byte) (0x5A + i * 31);
        }
        return r;
    }

    /** A big-endian (and, where named, little-endian) byte writer. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Bytes u32(int v) {
            return u16(v >>> 16).u16(v);
        }

        Bytes u16le(int v) {
            return u8(v).u8(v >>> 8);
        }

        Bytes u32le(int v) {
            return u16le(v).u16le(v >>> 16);
        }

        Bytes bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Bytes zeros(int n) {
            return bytes(new byte[n]);
        }

        int size() {
            return out.size();
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }
}
