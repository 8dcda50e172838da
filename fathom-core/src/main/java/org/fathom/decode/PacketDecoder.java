package org.fathom.decode;

import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.fathom.reassembly.IpReassembler;

/**
 * Decodes a frame from its link layer down to L4 into a reused {@link DecodedPacket}: VLAN
 * (802.1Q/802.1ad, QinQ), MPLS, PPPoE, IPv4 (options, fragments), IPv6 (extension headers,
 * fragments), and the tunnels GRE, IP-in-IP, GTP-U, VXLAN, CAPWAP and TZSP, whose inner packet is
 * the one keyed. Reads the bytes in place; allocates nothing per packet.
 *
 * <p>Hostile input cannot make it throw or loop: every read is bounds-checked against the end of
 * the current layer and nesting is limited to {@link #MAX_DEPTH} encapsulations.
 */
public final class PacketDecoder {
    /** Result codes of {@link #decode}. */
    public static final int OK = 0;
    public static final int NOT_IP = 1;
    public static final int MALFORMED = 2;
    /** A fragment was stored; the datagram is not complete yet (or the fragment was dropped). */
    public static final int FRAGMENT = 3;
    public static final int UNSUPPORTED_LINK = 4;

    static final int MAX_DEPTH = 8;

    public static final int ETH_IPV4 = 0x0800;
    public static final int ETH_ARP = 0x0806;
    public static final int ETH_VLAN = 0x8100;
    public static final int ETH_QINQ = 0x88A8;
    public static final int ETH_QINQ_OLD = 0x9100;
    public static final int ETH_IPV6 = 0x86DD;
    public static final int ETH_MPLS = 0x8847;
    public static final int ETH_MPLS_MC = 0x8848;
    public static final int ETH_PPPOE_SESSION = 0x8864;
    public static final int ETH_TEB = 0x6558;
    public static final int ETH_PPP = 0x880B;
    public static final int ETH_ERSPAN2 = 0x88BE;
    public static final int ETH_ERSPAN3 = 0x22EB;

    public static final int UDP_GTPU = 2152;
    public static final int UDP_VXLAN = 4789;
    public static final int UDP_CAPWAP_DATA = 5247;
    public static final int UDP_TZSP = 37008;

    private final IpReassembler reassembler;
    /** Headers only: fragments are not reassembled (used to decide which worker owns a packet). */
    private boolean headersOnly;
    private final DecodeStats stats = new DecodeStats();
    private DecodedPacket d;
    private Packet packet;

    public PacketDecoder() {
        this(new IpReassembler());
    }

    public PacketDecoder(IpReassembler reassembler) {
        this.reassembler = reassembler;
    }

    /**
     * A decoder that only reads headers to learn addresses and ports: fragments are reported as
     * {@link #FRAGMENT} with the addresses set, never reassembled, so it can run on the copied
     * prefix of a frame without disturbing the reassembly of the packets a worker owns.
     */
    public static PacketDecoder headersOnly() {
        PacketDecoder p = new PacketDecoder(new IpReassembler(1, 1, 1));
        p.headersOnly = true;
        return p;
    }

    public DecodeStats stats() {
        return stats;
    }

    public IpReassembler reassembler() {
        return reassembler;
    }

    /** Decodes {@code p} into {@code out}; returns one of the result codes. */
    public int decode(Packet p, DecodedPacket out) {
        this.d = out;
        this.packet = p;
        out.reset();
        out.timestampNanos = p.timestampNanos;
        out.wireBytes = p.wireLength;
        stats.frames++;
        int r;
        try {
            r = link(p.linkType, p.data, p.offset, p.offset + p.length, 0);
        } catch (RuntimeException | StackOverflowError e) {
            // defence in depth: a decoder bug must cost one packet, never the run (a stack
            // overflow included: recursion is bounded by MAX_DEPTH, but one hostile frame must not
            // end a capture if that bound is ever missed); counted so tests see every bug hidden here
            stats.swallowedExceptions++;
            stats.lastSwallowed = e;
            r = MALFORMED;
        }
        switch (r) {
            case OK -> {
                stats.ipPackets++;
                if (out.tunnel != Tunnel.NONE) {
                    stats.tunnelled++;
                }
            }
            case NOT_IP -> stats.nonIp++;
            case MALFORMED -> stats.malformed++;
            case UNSUPPORTED_LINK -> {
                stats.unsupportedLinkFrames++;
                stats.unsupportedLinkTypes[Math.min(Math.max(p.linkType, 0), 1024)]++;
            }
            default -> { }
        }
        return r;
    }

    // ---------------------------------------------------------------- link layers

    private int link(int linkType, byte[] b, int off, int end, int depth) {
        switch (linkType) {
            case LinkType.ETHERNET:
                return ethernet(b, off, end, depth);
            case LinkType.RAW, LinkType.RAW_12, LinkType.RAW_14:
                return rawIp(b, off, end, depth);
            case LinkType.IPV4:
                return ipv4(b, off, end, depth);
            case LinkType.IPV6:
                return ipv6(b, off, end, depth);
            case LinkType.LINUX_SLL:
                if (end - off < 16) {
                    return MALFORMED;
                }
                return etherType(u16(b, off + 14), b, off + 16, end, depth);
            case LinkType.LINUX_SLL2:
                if (end - off < 20) {
                    return MALFORMED;
                }
                return etherType(u16(b, off), b, off + 20, end, depth);
            case LinkType.NULL:
                return nullLoopback(b, off, end, depth, false);
            case LinkType.LOOP:
                return nullLoopback(b, off, end, depth, true);
            case LinkType.PPP, LinkType.PPP_HDLC:
                if (end - off >= 2 && ((b[off] & 0xFF) == 0x0F || (b[off] & 0xFF) == 0x8F) && b[off + 1] == 0) {
                    // Cisco HDLC framing, which the link-type registry allows here (RFC 1547 4.3.1);
                    // as a PPP protocol field 0x0F00/0x8F00 would be invalid (low byte even)
                    return ciscoHdlc(b, off, end, depth);
                }
                return ppp(b, off, end, depth);
            case LinkType.C_HDLC:
                return ciscoHdlc(b, off, end, depth);
            case LinkType.PPI:
                return ppi(b, off, end, depth);
            case LinkType.IEEE802_11_RADIOTAP:
                return radiotap(b, off, end, depth);
            case LinkType.IEEE802_11:
                return ieee80211(b, off, end, depth);
            case LinkType.NFLOG:
                return nflog(b, off, end, depth);
            default:
                return UNSUPPORTED_LINK;
        }
    }

    private int ciscoHdlc(byte[] b, int off, int end, int depth) {
        if (end - off < 4) {
            return MALFORMED;
        }
        return etherType(u16(b, off + 2), b, off + 4, end, depth);
    }

    private int ethernet(byte[] b, int off, int end, int depth) {
        if (end - off < 14) {
            return MALFORMED;
        }
        int type = u16(b, off + 12);
        off += 14;
        if (type <= 1500) {
            // IEEE 802.3 length field: LLC, possibly SNAP with an EtherType
            return llc(b, off, Math.min(end, off + type), depth);
        }
        return etherType(type, b, off, end, depth);
    }

    private int llc(byte[] b, int off, int end, int depth) {
        if (end - off >= 8 && (b[off] & 0xFF) == 0xAA && (b[off + 1] & 0xFF) == 0xAA && (b[off + 2] & 0xFF) == 0x03) {
            return etherType(u16(b, off + 6), b, off + 8, end, depth);
        }
        return NOT_IP;
    }

    /** Dispatches on an EtherType: VLAN tags, MPLS, PPPoE, IP. */
    private int etherType(int type, byte[] b, int off, int end, int depth) {
        while (true) {
            switch (type) {
                case ETH_IPV4:
                    return ipv4(b, off, end, depth);
                case ETH_IPV6:
                    return ipv6(b, off, end, depth);
                case ETH_VLAN, ETH_QINQ, ETH_QINQ_OLD:
                    if (end - off < 4) {
                        return MALFORMED;
                    }
                    // the innermost tag wins: each one overwrites the outer
                    d.vlan = u16(b, off) & 0x0FFF;
                    type = u16(b, off + 2);
                    off += 4;
                    if (type <= 1500) {
                        // an 802.3 length: it bounds the LLC frame, and so any chain of tags inside
                        return llc(b, off, Math.min(end, off + type), depth);
                    }
                    continue;
                case ETH_MPLS, ETH_MPLS_MC:
                    return mpls(b, off, end, depth);
                case ETH_PPPOE_SESSION:
                    if (end - off < 8) {
                        return MALFORMED;
                    }
                    int plen = u16(b, off + 4);
                    return ppp(b, off + 6, Math.min(end, off + 6 + plen), depth);
                default:
                    return NOT_IP;
            }
        }
    }

    private int mpls(byte[] b, int off, int end, int depth) {
        // label stack entries until bottom-of-stack; bounded by the packet length
        while (true) {
            if (end - off < 4) {
                return MALFORMED;
            }
            boolean bottom = (b[off + 2] & 0x01) != 0;
            off += 4;
            if (bottom) {
                break;
            }
        }
        if (off >= end) {
            return MALFORMED;
        }
        int v = (b[off] & 0xF0) >>> 4;
        if (v == 4) {
            return ipv4(b, off, end, depth);
        }
        if (v == 6) {
            return ipv6(b, off, end, depth);
        }
        if (v == 0 && end - off >= 4 + 14) {
            // pseudowire control word, then Ethernet (EoMPLS); an encapsulation like any tunnel,
            // so it counts against the nesting cap (else MPLS/Ethernet chains overflow the stack)
            return depth < MAX_DEPTH ? ethernet(b, off + 4, end, depth + 1) : MALFORMED;
        }
        return NOT_IP;
    }

    private int ppp(byte[] b, int off, int end, int depth) {
        if (end - off >= 2 && (b[off] & 0xFF) == 0xFF && (b[off + 1] & 0xFF) == 0x03) {
            off += 2; // HDLC address and control
        }
        if (end - off < 1) {
            return MALFORMED;
        }
        int proto;
        if ((b[off] & 0x01) != 0) {
            proto = b[off] & 0xFF; // compressed protocol field
            off += 1;
        } else {
            if (end - off < 2) {
                return MALFORMED;
            }
            proto = u16(b, off);
            off += 2;
        }
        return switch (proto) {
            case 0x0021 -> ipv4(b, off, end, depth);
            case 0x0057 -> ipv6(b, off, end, depth);
            default -> NOT_IP;
        };
    }

    private int rawIp(byte[] b, int off, int end, int depth) {
        if (end - off < 1) {
            return MALFORMED;
        }
        int v = (b[off] & 0xF0) >>> 4;
        return v == 4 ? ipv4(b, off, end, depth) : v == 6 ? ipv6(b, off, end, depth) : MALFORMED;
    }

    private int nullLoopback(byte[] b, int off, int end, int depth, boolean networkOrder) {
        if (end - off < 4) {
            return MALFORMED;
        }
        int family = networkOrder ? u32(b, off) : u32le(b, off);
        if (!networkOrder && (family & 0xFFFF0000) != 0) {
            family = Integer.reverseBytes(family); // written by a host of the other byte order
        }
        return switch (family) {
            case 2 -> ipv4(b, off + 4, end, depth);
            case 10, 24, 28, 30 -> ipv6(b, off + 4, end, depth);
            default -> NOT_IP;
        };
    }

    private int ppi(byte[] b, int off, int end, int depth) {
        if (end - off < 8) {
            return MALFORMED;
        }
        int hlen = u16le(b, off + 2);
        int dlt = u32le(b, off + 4);
        if (hlen < 8 || hlen > end - off) {
            return MALFORMED;
        }
        if (dlt == LinkType.PPI || depth >= MAX_DEPTH) {
            return MALFORMED;
        }
        return link(dlt, b, off + hlen, end, depth + 1);
    }

    private int radiotap(byte[] b, int off, int end, int depth) {
        if (end - off < 8) {
            return MALFORMED;
        }
        int len = u16le(b, off + 2);
        if (len < 8 || len > end - off) {
            return MALFORMED;
        }
        // find the Flags field to learn whether the frame ends with an FCS
        int p = off + 4;
        int present = u32le(b, p);
        int firstPresent = present;
        while ((present & 0x8000_0000) != 0) {
            p += 4;
            if (p + 4 > off + len) {
                return MALFORMED;
            }
            present = u32le(b, p);
        }
        int field = p + 4;
        boolean fcs = false;
        if ((firstPresent & 0x1) != 0) {
            field = off + (((field - off) + 7) & ~7) + 8; // TSFT: 8 bytes, 8-aligned
        }
        if ((firstPresent & 0x2) != 0 && field < off + len) {
            fcs = (b[field] & 0x10) != 0;
        }
        int frameEnd = fcs ? end - 4 : end;
        return ieee80211(b, off + len, frameEnd, depth);
    }

    private int ieee80211(byte[] b, int off, int end, int depth) {
        if (end - off < 24) {
            return MALFORMED;
        }
        int fc = (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
        int type = (fc >>> 2) & 0x3;
        int subtype = (fc >>> 4) & 0xF;
        if (type != 2) {
            return NOT_IP; // management and control frames
        }
        if ((fc & 0x4000) != 0) {
            return NOT_IP; // protected: encrypted payload
        }
        if ((subtype & 0x4) != 0) {
            return NOT_IP; // null data: no payload
        }
        int hlen = 24;
        if ((fc & 0x0300) == 0x0300) {
            hlen += 6; // four addresses (WDS)
        }
        if ((subtype & 0x8) != 0) {
            hlen += 2; // QoS control
            if ((fc & 0x8000) != 0) {
                hlen += 4; // HT control
            }
        }
        if (end - off < hlen) {
            return MALFORMED;
        }
        return llc(b, off + hlen, end, depth);
    }

    private int nflog(byte[] b, int off, int end, int depth) {
        if (end - off < 4) {
            return MALFORMED;
        }
        int family = b[off] & 0xFF;
        int p = off + 4;
        while (p + 4 <= end) {
            int tlvLen = u16le(b, p);
            int tlvType = u16le(b, p + 2);
            if (tlvLen < 4 || p + tlvLen > end) {
                return MALFORMED;
            }
            if (tlvType == 9) { // NFULA_PAYLOAD
                int s = p + 4;
                int e = p + tlvLen;
                return family == 10 ? ipv6(b, s, e, depth) : family == 2 ? ipv4(b, s, e, depth) : rawIp(b, s, e, depth);
            }
            p += (tlvLen + 3) & ~3;
        }
        return NOT_IP;
    }

    // ---------------------------------------------------------------- IP

    private int ipv4(byte[] b, int off, int end, int depth) {
        if (end - off < 20) {
            return MALFORMED;
        }
        int vihl = b[off] & 0xFF;
        if ((vihl >>> 4) != 4) {
            return MALFORMED;
        }
        int ihl = (vihl & 0x0F) * 4;
        int totalLen = u16(b, off + 2);
        if (ihl < 20 || ihl > end - off) {
            return MALFORMED;
        }
        int ipEnd;
        if (totalLen == 0) {
            ipEnd = end; // TSO/GSO captures leave the length unset
        } else if (totalLen < ihl) {
            return MALFORMED;
        } else {
            ipEnd = Math.min(end, off + totalLen); // cuts Ethernet padding; tolerates a short snaplen
        }
        int flagsFrag = u16(b, off + 6);
        int proto = b[off + 9] & 0xFF;
        int src = u32(b, off + 12);
        int dst = u32(b, off + 16);
        d.ipVersion = 4;
        d.srcHi = 0;
        d.srcLo = 0x0000_FFFF_0000_0000L | (src & 0xFFFF_FFFFL);
        d.dstHi = 0;
        d.dstLo = 0x0000_FFFF_0000_0000L | (dst & 0xFFFF_FFFFL);
        d.ttl = b[off + 8] & 0xFF;
        int fragOffset = (flagsFrag & 0x1FFF) * 8;
        boolean more = (flagsFrag & 0x2000) != 0;
        int payload = off + ihl;
        if (fragOffset != 0 || more) {
            int id = u16(b, off + 4) | proto << 16;
            return fragment(id, proto, fragOffset, more, b, payload, ipEnd, depth);
        }
        return l4(proto, b, payload, ipEnd, depth);
    }

    private int ipv6(byte[] b, int off, int end, int depth) {
        if (end - off < 40) {
            return MALFORMED;
        }
        if ((b[off] & 0xF0) != 0x60) {
            return MALFORMED;
        }
        int payloadLen = u16(b, off + 4);
        int next = b[off + 6] & 0xFF;
        d.ipVersion = 6;
        d.ttl = b[off + 7] & 0xFF;
        d.srcHi = u64(b, off + 8);
        d.srcLo = u64(b, off + 16);
        d.dstHi = u64(b, off + 24);
        d.dstLo = u64(b, off + 32);
        int p = off + 40;
        int ipEnd = payloadLen == 0 ? end : Math.min(end, p + payloadLen); // 0: jumbogram or TSO
        return ipv6Next(next, b, p, ipEnd, depth, true);
    }

    /** Walks IPv6 extension headers starting at {@code next}. */
    private int ipv6Next(int next, byte[] b, int p, int ipEnd, int depth, boolean fragmentsAllowed) {
        for (int hops = 0; hops < 16; hops++) {
            switch (next) {
                case IpProtocol.HOPOPT, IpProtocol.IPV6_ROUTE, IpProtocol.IPV6_OPTS, IpProtocol.MOBILITY,
                     IpProtocol.HIP, IpProtocol.SHIM6 -> {
                    if (ipEnd - p < 8) {
                        return MALFORMED;
                    }
                    next = b[p] & 0xFF;
                    p += ((b[p + 1] & 0xFF) + 1) * 8;
                }
                case IpProtocol.AH -> {
                    if (ipEnd - p < 8) {
                        return MALFORMED;
                    }
                    next = b[p] & 0xFF;
                    p += ((b[p + 1] & 0xFF) + 2) * 4;
                }
                case IpProtocol.IPV6_FRAG -> {
                    if (ipEnd - p < 8 || !fragmentsAllowed) {
                        return MALFORMED;
                    }
                    int nh = b[p] & 0xFF;
                    int offFlags = u16(b, p + 2);
                    int id = u32(b, p + 4);
                    int fragOffset = offFlags & 0xFFF8;
                    boolean more = (offFlags & 1) != 0;
                    if (fragOffset == 0 && !more) {
                        // atomic fragment (RFC 6946): not really fragmented
                        next = nh;
                        p += 8;
                        continue;
                    }
                    return fragment(id, nh, fragOffset, more, b, p + 8, ipEnd, depth);
                }
                case IpProtocol.IPV6_NONXT -> {
                    d.l4 = IpProtocol.IPV6_NONXT;
                    d.buf = b;
                    d.payloadOffset = Math.min(p, ipEnd);
                    d.payloadLength = 0;
                    return OK;
                }
                default -> {
                    if (p > ipEnd) {
                        return MALFORMED;
                    }
                    return l4(next, b, p, ipEnd, depth);
                }
            }
            if (p > ipEnd) {
                return MALFORMED;
            }
        }
        return MALFORMED;
    }

    private int fragment(int id, int proto, int fragOffset, boolean more, byte[] b, int off, int end, int depth) {
        if (off > end) {
            return MALFORMED;
        }
        if (headersOnly) {
            return FRAGMENT;
        }
        long wire = packet != null && d.wireBytes == 0 ? packet.wireLength : d.wireBytes;
        int n = reassembler.offer(d.srcHi, d.srcLo, d.dstHi, d.dstLo, id, proto, fragOffset, more,
                b, off, end - off, d.timestampNanos, wire);
        if (n < 0) {
            return FRAGMENT;
        }
        // the reassembled datagram stands for all of its frames
        d.frames = reassembler.completedFrames();
        d.wireBytes = reassembler.completedWireBytes();
        byte[] rb = reassembler.buffer();
        int l4proto = reassembler.completedProtocol();
        if (d.ipVersion == 6) {
            return ipv6Next(l4proto, rb, 0, n, depth, false);
        }
        return l4(l4proto, rb, 0, n, depth);
    }

    // ---------------------------------------------------------------- L4 and tunnels

    private int l4(int proto, byte[] b, int off, int end, int depth) {
        d.l4 = proto;
        d.buf = b;
        switch (proto) {
            case IpProtocol.TCP -> {
                if (end - off < 20) {
                    return MALFORMED;
                }
                int hlen = ((b[off + 12] & 0xF0) >>> 4) * 4;
                d.srcPort = u16(b, off);
                d.dstPort = u16(b, off + 2);
                d.tcpSeq = u32(b, off + 4);
                d.tcpAck = u32(b, off + 8);
                d.tcpWindow = u16(b, off + 14);
                d.tcpFlags = b[off + 13] & 0xFF;
                if (hlen < 20 || hlen > end - off) {
                    d.malformed = true;
                    d.payloadOffset = end;
                    d.payloadLength = 0;
                    return OK; // keyed, but no payload to trust
                }
                d.payloadOffset = off + hlen;
                d.payloadLength = end - off - hlen;
                return OK;
            }
            case IpProtocol.UDP -> {
                if (end - off < 8) {
                    return MALFORMED;
                }
                int sport = u16(b, off);
                int dport = u16(b, off + 2);
                int ulen = u16(b, off + 4);
                int uend = end;
                if (ulen >= 8 && ulen <= end - off) {
                    uend = off + ulen;
                } else if (ulen != 0 && ulen < 8) {
                    d.malformed = true;
                }
                d.srcPort = sport;
                d.dstPort = dport;
                d.payloadOffset = off + 8;
                d.payloadLength = uend - off - 8;
                if (depth < MAX_DEPTH) {
                    int r = udpTunnel(sport, dport, b, off + 8, uend, depth);
                    if (r >= 0) {
                        return r;
                    }
                }
                return OK;
            }
            case IpProtocol.SCTP -> {
                if (end - off < 12) {
                    return MALFORMED;
                }
                d.srcPort = u16(b, off);
                d.dstPort = u16(b, off + 2);
                d.payloadOffset = off + 12;
                d.payloadLength = end - off - 12;
                return OK;
            }
            case IpProtocol.ICMP, IpProtocol.ICMPV6 -> {
                if (end - off >= 2) {
                    d.icmpType = b[off] & 0xFF;
                    d.icmpCode = b[off + 1] & 0xFF;
                } else {
                    d.malformed = true;
                }
                d.payloadOffset = Math.min(off + 4, end);
                d.payloadLength = end - d.payloadOffset;
                return OK;
            }
            case IpProtocol.IPIP, IpProtocol.IPV6 -> {
                if (depth >= MAX_DEPTH) {
                    return MALFORMED;
                }
                int r = proto == IpProtocol.IPIP ? ipv4(b, off, end, depth + 1) : ipv6(b, off, end, depth + 1);
                if (r == OK || r == FRAGMENT) {
                    d.tunnel = Tunnel.IP_IN_IP;
                }
                return r;
            }
            case IpProtocol.GRE -> {
                if (depth < MAX_DEPTH) {
                    int r = gre(b, off, end, depth);
                    if (r >= 0) {
                        return r;
                    }
                }
                d.l4 = IpProtocol.GRE;
                d.buf = b;
                d.srcPort = d.dstPort = 0;
                d.payloadOffset = off;
                d.payloadLength = Math.max(0, end - off);
                return OK;
            }
            default -> {
                d.payloadOffset = off;
                d.payloadLength = Math.max(0, end - off);
                return OK;
            }
        }
    }

    // Tunnels name the flow from the outside in: each one sets d.tunnel once its inner packet has
    // decoded, and the calls unwind from the innermost, so the outermost tunnel writes last.
    // GRE and UDP tunnels keep the outer fields in locals (nothing is allocated per packet) so that
    // a packet whose inner part is unusable is keyed exactly as if the tunnel had not been entered.

    /**
     * GRE (RFC 2784/2890, and the PPTP variant of RFC 2637). Returns a result code, or -1 when the
     * payload is not something we decode further (then the GRE packet itself is the flow).
     */
    private int gre(byte[] b, int off, int end, int depth) {
        if (end - off < 4) {
            return -1;
        }
        int flags = u16(b, off);
        int proto = u16(b, off + 2);
        int version = flags & 0x7;
        int p = off + 4;
        if (version == 0) {
            if ((flags & 0x4000) != 0) {
                return -1; // RFC 1701 source routing: entries not walked, the GRE packet is the flow
            }
            if ((flags & 0x8000) != 0) {
                p += 4; // checksum + reserved
            }
            if ((flags & 0x2000) != 0) {
                p += 4; // key
            }
            if ((flags & 0x1000) != 0) {
                p += 4; // sequence number
            }
        } else if (version == 1) {
            p += 4; // payload length + call id
            if ((flags & 0x1000) != 0) {
                p += 4;
            }
            if ((flags & 0x0080) != 0) {
                p += 4; // acknowledgment
            }
        } else {
            return -1;
        }
        if (p > end) {
            return -1;
        }
        long sHi = d.srcHi, sLo = d.srcLo, dHi = d.dstHi, dLo = d.dstLo;
        int ver = d.ipVersion, vlan = d.vlan, ttl = d.ttl, tunnel = d.tunnel;
        boolean malformed = d.malformed;
        int r = switch (proto) {
            case ETH_IPV4 -> ipv4(b, p, end, depth + 1);
            case ETH_IPV6 -> ipv6(b, p, end, depth + 1);
            case ETH_TEB -> ethernet(b, p, end, depth + 1);
            case ETH_PPP -> ppp(b, p, end, depth + 1);
            // type II has an 8-byte header and a GRE sequence number; type I neither
            case ETH_ERSPAN2 -> (flags & 0x1000) == 0 ? ethernet(b, p, end, depth + 1)
                    : end - p > 8 ? ethernet(b, p + 8, end, depth + 1) : MALFORMED;
            case ETH_ERSPAN3 -> end - p > 12 ? ethernet(b, p + 12 + ((b[p + 11] & 0x01) != 0 ? 8 : 0), end, depth + 1) : MALFORMED;
            default -> -1;
        };
        if (r == OK || r == FRAGMENT) {
            d.tunnel = Tunnel.GRE;
            return r;
        }
        // inner packet unusable (e.g. PPP control frames of PPTP): key the GRE packet itself
        restoreOuter(sHi, sLo, dHi, dLo, ver, vlan, ttl, tunnel, malformed);
        return -1;
    }

    /** UDP-borne tunnels by well-known port. Returns a result code, or -1 when not a tunnel. */
    private int udpTunnel(int sport, int dport, byte[] b, int off, int end, int depth) {
        int tunnel;
        int inner;
        if (sport == UDP_GTPU || dport == UDP_GTPU) {
            tunnel = Tunnel.GTP;
            inner = gtpu(b, off, end);
        } else if (sport == UDP_VXLAN || dport == UDP_VXLAN) {
            tunnel = Tunnel.VXLAN;
            inner = end - off >= 8 + 14 && (b[off] & 0x08) != 0 ? off + 8 : -1;
        } else if (sport == UDP_CAPWAP_DATA || dport == UDP_CAPWAP_DATA) {
            tunnel = Tunnel.CAPWAP;
            inner = capwapInner(b, off, end);
        } else if (sport == UDP_TZSP || dport == UDP_TZSP) {
            tunnel = Tunnel.TZSP;
            inner = tzspInner(b, off, end);
        } else {
            return -1;
        }
        if (inner < 0) {
            return -1;
        }
        long sHi = d.srcHi, sLo = d.srcLo, dHi = d.dstHi, dLo = d.dstLo;
        int ver = d.ipVersion, vlan = d.vlan, ttl = d.ttl, outerTunnel = d.tunnel;
        boolean malformed = d.malformed;
        int r;
        switch (tunnel) {
            case Tunnel.GTP -> r = rawIp(b, inner, end, depth + 1);
            case Tunnel.VXLAN -> r = ethernet(b, inner, end, depth + 1);
            case Tunnel.CAPWAP -> r = capwapFrameIs80211 ? ieee80211(b, inner, end, depth + 1) : ethernet(b, inner, end, depth + 1);
            default -> r = tzspEncap == 18 ? ieee80211(b, inner, end, depth + 1) : ethernet(b, inner, end, depth + 1);
        }
        if (r == OK || r == FRAGMENT) {
            d.tunnel = tunnel;
            return r;
        }
        // not a usable inner packet (GTP echo, CAPWAP keep-alive, ...): the UDP packet is the flow
        restoreOuter(sHi, sLo, dHi, dLo, ver, vlan, ttl, outerTunnel, malformed);
        d.l4 = IpProtocol.UDP;
        d.buf = b;
        d.srcPort = sport;
        d.dstPort = dport;
        d.payloadOffset = off;
        d.payloadLength = end - off;
        return -1;
    }

    private void restoreOuter(long sHi, long sLo, long dHi, long dLo, int ipVersion, int vlan, int ttl, int tunnel,
                              boolean malformed) {
        d.srcHi = sHi;
        d.srcLo = sLo;
        d.dstHi = dHi;
        d.dstLo = dLo;
        d.ipVersion = ipVersion;
        d.vlan = vlan;
        d.ttl = ttl;
        d.tunnel = tunnel;
        d.tcpFlags = 0;
        d.tcpSeq = d.tcpAck = 0;
        d.tcpWindow = 0;
        d.icmpType = d.icmpCode = 0;
        d.malformed = malformed;
    }

    /** Offset of the T-PDU inside a GTPv1-U message, or -1. */
    private static int gtpu(byte[] b, int off, int end) {
        if (end - off < 8) {
            return -1;
        }
        int flags = b[off] & 0xFF;
        if ((flags >>> 5) != 1 || (flags & 0x10) == 0 || (b[off + 1] & 0xFF) != 0xFF) {
            return -1; // not GTPv1, or not a T-PDU
        }
        int p = off + 8;
        if ((flags & 0x07) != 0) {
            if (end - p < 4) {
                return -1;
            }
            int nextExt = b[p + 3] & 0xFF;
            p += 4;
            while ((flags & 0x04) != 0 && nextExt != 0) {
                if (end - p < 4) {
                    return -1;
                }
                int extLen = (b[p] & 0xFF) * 4;
                if (extLen == 0 || end - p < extLen) {
                    return -1;
                }
                nextExt = b[p + extLen - 1] & 0xFF;
                p += extLen;
            }
        }
        return p < end ? p : -1;
    }

    private boolean capwapFrameIs80211;
    private int tzspEncap;

    private int capwapInner(byte[] b, int off, int end) {
        if (end - off < 8 || (b[off] & 0xFF) != 0) {
            return -1; // preamble: version 0, type 0 (plain CAPWAP header)
        }
        int word = u32(b, off);
        int hlen = ((word >>> 19) & 0x1F) * 4;
        int wbid = (word >>> 9) & 0x1F;
        boolean t = (word & 0x100) != 0;
        // F: a fragment of a longer frame; not reassembled, so the UDP packet is the flow
        boolean fragmented = (word & 0x80) != 0;
        boolean keepAlive = (word & 0x08) != 0;
        if (hlen < 8 || hlen > end - off || keepAlive || fragmented) {
            return -1;
        }
        capwapFrameIs80211 = t && wbid == 1;
        return off + hlen;
    }

    private int tzspInner(byte[] b, int off, int end) {
        if (end - off < 5 || (b[off] & 0xFF) != 1) {
            return -1;
        }
        int type = b[off + 1] & 0xFF;
        if (type != 0 && type != 1) {
            return -1; // only received/transmitted tag lists carry frames
        }
        tzspEncap = u16(b, off + 2);
        if (tzspEncap != 1 && tzspEncap != 18) {
            return -1;
        }
        int p = off + 4;
        while (p < end) {
            int tag = b[p] & 0xFF;
            if (tag == 1) {
                return p + 1; // TAG_END
            }
            if (tag == 0) {
                p++; // padding
                continue;
            }
            if (p + 2 > end) {
                return -1;
            }
            p += 2 + (b[p + 1] & 0xFF);
        }
        return -1;
    }

    // ---------------------------------------------------------------- byte access

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    static int u16le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    static int u32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }

    static int u32le(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    static long u64(byte[] b, int i) {
        return (u32(b, i) & 0xFFFF_FFFFL) << 32 | (u32(b, i + 4) & 0xFFFF_FFFFL);
    }
}
