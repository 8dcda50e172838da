package org.fathom.protocol.stun;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * STUN (RFC 8489, also TURN RFC 8656 and ICE): the 20-byte header with the magic cookie
 * {@code 0x2112A442}, a length that is a multiple of 4 and matches the datagram (UDP) or fits the
 * chunk (TCP, where several messages may share a segment), and attributes that tile the body
 * exactly. Classic STUN (RFC 3489, no cookie) is taken only for its six message types, with
 * attributes tiling the body, of its own types unless on port 3478/3479 (vendor variants); an
 * empty classic message only on those ports.
 * Metadata: {@code stun.method}, {@code stun.class}, {@code stun.software} (SOFTWARE attribute).
 *
 * <p>Names for the catalog and calls: the REALM attribute (a domain, RFC 8489 §14.9) is handed to
 * the service catalog as the flow's server name, so a TURN allocation in {@code telegram.org}'s
 * realm names Telegram (and the classifier turns a messaging service into its call variant on a
 * STUN/DTLS/SRTP flow). Vendor attributes name the call service directly: Microsoft's MS-TURN /
 * MS-ICE2 attributes (0x8054 Candidate-Identifier, 0x8055 MS-Service-Quality, 0x8070
 * MS-Implementation-Version) are {@code Skype_TeamsCall}; WhatsApp's private attributes
 * 0x4000–0x4002 (with a message length that is not a multiple of 4, which WhatsApp's relays use)
 * are {@code WhatsAppCall}; Zoom's 0x0101/0x0103 are {@code Zoom}; 0xFF03 is {@code GoogleCall}.
 * Once matched, the flow's later datagrams are demultiplexed as RFC 7983 says: a DTLS record
 * (first byte 20–63) makes the flow {@code DTLS}, an RTP/RTCP packet (128–191, version 2) makes
 * it {@code SRTP}, the STUN-named service staying its application (nDPI's {@code DTLS.GoogleCall}).
 */
public final class StunDissector implements Dissector {
    static final int MAGIC = 0x2112A442;
    private static final Descriptor DESCRIPTOR =
            Descriptor.both("STUN", "Network", new int[] {3478}, new int[] {3478}).withProbeDepth(4);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        boolean tcp = ctx.l4() == 6;
        if (tcp && len >= 22 && u16(b, off) == len - 2 && u32(b, off + 6) == MAGIC) {
            off += 2; // RFC 4571 framing, as some TCP media transports use
            len -= 2;
        }
        boolean onPort = ctx.serverPort() == 3478 || ctx.clientPort() == 3478 || ctx.serverPort() == 3479 || ctx.clientPort() == 3479;
        int r = message(ctx, b, off, len, tcp, onPort);
        if (r == NO && ctx.state() != null) {
            demultiplex(ctx, b, off, len);
            return MATCH; // after a match (e.g. media multiplexed on the flow)
        }
        if (r != NO && ctx.state() == null) {
            ctx.setState(MATCHED);
        }
        return r;
    }

    /** Per-flow state: matched, then which carrier was seen after STUN. */
    private static final Integer MATCHED = 1;
    private static final Integer DTLS_SEEN = 2;
    private static final Integer SRTP_SEEN = 3;

    /**
     * RFC 7983 demultiplexing of what follows STUN on the same 5-tuple (WebRTC, ICE). DTLS, once
     * seen, stays the flow's name (its keys protect the SRTP that follows, as nDPI names it).
     */
    private static void demultiplex(FlowContext ctx, byte[] b, int off, int len) {
        int first = b[off] & 0xFF;
        if (first >= 20 && first <= 23 && len >= 13 && (b[off + 1] & 0xFF) == 0xFE) {
            if (ctx.state() != DTLS_SEEN) {
                ctx.setProtocol("DTLS", "Web");
                ctx.setState(DTLS_SEEN);
            }
        } else if (first >= 128 && first <= 191 && len >= 12 && ctx.state() == MATCHED) {
            ctx.setProtocol("SRTP", "Media");
            ctx.setState(SRTP_SEEN);
        }
    }

    private static int message(FlowContext ctx, byte[] b, int off, int len, boolean tcp, boolean onPort) {
        if (len < 20 || (b[off] & 0xC0) != 0) {
            return NO;
        }
        int type = u16(b, off);
        int length = u16(b, off + 2);
        boolean cookie = u32(b, off + 4) == MAGIC;
        // a length that is not a multiple of 4 only with the cookie and an unpadded last attribute
        // (WhatsApp's relays), checked by the tiling below
        if (((length & 3) != 0 && !cookie) || (tcp ? 20 + length > len : 20 + length != len)) {
            return NO;
        }
        if (!cookie) {
            boolean classicType = type == 0x0001 || type == 0x0101 || type == 0x0111 || type == 0x0002 || type == 0x0102 || type == 0x0112;
            if (!classicType || (length == 0 && !onPort)) {
                return NO;
            }
        }
        int p = off + 20;
        int end = p + length;
        String software = null;
        String realm = null;
        String call = null;
        while (p < end) {
            if (p + 4 > end) {
                return NO;
            }
            int at = u16(b, p);
            int al = u16(b, p + 2);
            int padded = (al + 3) & ~3;
            if (p + 4 + padded > end && !(p + 4 + al == end)) {
                return NO;
            }
            if ((length & 3) != 0 && p + 4 + al == end && (al & 3) == 0) {
                return NO; // an odd total length must come from an unpadded last attribute
            }
            if (!cookie && !onPort && !(at >= 0x0001 && at <= 0x000B) && !(at >= 0x8020 && at <= 0x8030)) {
                return NO;
            }
            if (cookie && at == 0x8022 && software == null) {
                software = ascii(b, p + 4, Math.min(al, 128));
            }
            if (at == 0x0014 && realm == null && al > 0 && al <= 253) {
                realm = ascii(b, p + 4, al);
            }
            if (call == null) {
                call = callAttribute(at, al, b, p + 4);
            }
            p += 4 + Math.min(padded, end - p - 4);
        }
        int method = (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
        int cls = ((type & 0x0010) >> 4) | ((type & 0x0100) >> 7);
        ctx.put(Registration.STUN_METHOD.key(), methodName(method));
        ctx.put(Registration.STUN_CLASS.key(), switch (cls) {
            case 0 -> "request";
            case 1 -> "indication";
            case 2 -> "success";
            default -> "error";
        });
        if (software != null) {
            ctx.put(Registration.STUN_SOFTWARE.key(), software);
        }
        if (realm != null && realm.indexOf('.') > 0 && realm.indexOf('?') < 0) {
            ctx.setHost(realm, false);
        }
        if (call != null) {
            ctx.setApplication(call, "Zoom".equals(call) ? "Video" : "VoIP");
        }
        return MATCH;
    }

    /** The call service a vendor attribute names, or null (see the class comment). */
    static String callAttribute(int type, int len, byte[] b, int value) {
        return switch (type) {
            case 0x4000, 0x4001, 0x4002 -> "WhatsAppCall";
            case 0x8054, 0x8055, 0x8070 -> "Skype_TeamsCall";
            case 0x0101, 0x0103 -> "Zoom";
            case 0xFF03 -> "GoogleCall";
            default -> null;
        };
    }

    static String methodName(int m) {
        return switch (m) {
            case 0x001 -> "Binding";
            case 0x002 -> "SharedSecret";
            case 0x003 -> "Allocate";
            case 0x004 -> "Refresh";
            case 0x006 -> "Send";
            case 0x007 -> "Data";
            case 0x008 -> "CreatePermission";
            case 0x009 -> "ChannelBind";
            case 0x00A -> "Connect";
            case 0x00B -> "ConnectionBind";
            case 0x00C -> "ConnectionAttempt";
            default -> "0x" + Integer.toHexString(m);
        };
    }

    private static String ascii(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            int c = b[off + i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return sb.toString().strip();
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int u32(byte[] b, int i) {
        return (u16(b, i) << 16) | u16(b, i + 2);
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("DTLS", "Web"), new org.fathom.protocol.Service("SRTP", "Media"), new org.fathom.protocol.Service("WhatsAppCall", "VoIP"), new org.fathom.protocol.Service("Skype_TeamsCall", "VoIP"), new org.fathom.protocol.Service("Zoom", "Video"), new org.fathom.protocol.Service("GoogleCall", "VoIP"));
    }
}
