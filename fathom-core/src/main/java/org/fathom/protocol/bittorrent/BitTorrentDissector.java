package org.fathom.protocol.bittorrent;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.http.HttpHead;

/**
 * BitTorrent. TCP: the peer wire handshake (BEP 3) {@code \x13BitTorrent protocol} from either
 * side. UDP: DHT queries and responses (BEP 5, bencoded dictionaries {@code d1:ad2:id20:...},
 * {@code d1:rd2:id20:...}, errors {@code d1:eli...}), the UDP tracker connect request (BEP 15,
 * protocol id {@code 0x41727101980}), local service discovery (BEP 14, {@code BT-SEARCH * HTTP/1.1}),
 * and uTP (BEP 29): a header of version 1 with a known type and a well-formed extension chain,
 * confirmed by a second packet of the same connection (the answer acknowledging the first
 * packet's sequence number, the next sequence number from the same side, or a further
 * acknowledgement from the same side).
 */
public final class BitTorrentDissector implements Dissector {
    private static final Descriptor DESCRIPTOR =
            Descriptor.both("BitTorrent", "Download", new int[0], new int[] {6771})
                    .withProbeDepth(4);
    private static final String HANDSHAKE = "\u0013BitTorrent protocol";
    private static final String[] DHT = {"d1:ad2:id20:", "d1:rd2:id20:", "d1:eli", "d2:ip6:", "d2:ip18:", "d1:q"};

    /** uTP: the first header seen. */
    static final class Utp {
        boolean fromClient;
        int connId;
        int seq;
        int ack;
        int type;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() == 6) {
            Object st = ctx.state();
            if (st instanceof byte[] held) {
                byte[] joined = java.util.Arrays.copyOf(held, Math.min(HANDSHAKE.length(), held.length + len));
                System.arraycopy(b, off, joined, held.length, joined.length - held.length);
                b = joined;
                off = 0;
                len = joined.length;
            }
            if (HttpHead.startsWith(b, off, len, HANDSHAKE)) {
                return DONE;
            }
            if (len < HANDSHAKE.length() && HttpHead.agreesWith(b, off, len, HANDSHAKE)) {
                ctx.setState(java.util.Arrays.copyOfRange(b, off, off + len));
                return NEED_MORE;
            }
            return NO;
        }
        Object st = ctx.state();
        if (st == null) {
            if (len > 12 && b[off] == 'd' && b[off + len - 1] == 'e') {
                for (String p : DHT) {
                    if (HttpHead.startsWith(b, off, len, p)) {
                        ctx.put(Registration.BITTORRENT_KIND.key(), "dht");
                        return DONE;
                    }
                }
            }
            if (len >= 16 && u32(b, off) == 0x417 && u32(b, off + 4) == 0x27101980 && u32(b, off + 8) == 0) {
                ctx.put(Registration.BITTORRENT_KIND.key(), "udp_tracker");
                return DONE;
            }
            if (HttpHead.startsWith(b, off, len, "BT-SEARCH * HTTP/1.1\r\n")) {
                ctx.put(Registration.BITTORRENT_KIND.key(), "lsd");
                return DONE;
            }
        }
        if (!utpHeader(b, off, len)) {
            return NO;
        }
        int type = (b[off] & 0xF0) >> 4;
        int connId = u16(b, off + 2);
        int seq = u16(b, off + 16);
        int ack = u16(b, off + 18);
        if (!(st instanceof Utp u)) {
            Utp first = new Utp();
            first.fromClient = fromClient;
            first.connId = connId;
            first.seq = seq;
            first.ack = ack;
            first.type = type;
            ctx.setState(first);
            return NEED_MORE;
        }
        boolean sameConn = connId == u.connId || (u.type == 4 && connId == ((u.connId + 1) & 0xFFFF))
                || (type == 4 && u.connId == ((connId + 1) & 0xFFFF));
        boolean ok;
        if (fromClient != u.fromClient) {
            ok = sameConn && ack == u.seq;
        } else if (type == 2 && u.type == 2) {
            // state packets (acknowledgements) keep their sequence number; the acknowledged one grows
            int step = (ack - u.ack) & 0xFFFF;
            ok = sameConn && seq == u.seq && step >= 1 && step <= 64;
        } else {
            ok = sameConn && seq == ((u.seq + 1) & 0xFFFF);
        }
        if (ok) {
            ctx.put(Registration.BITTORRENT_KIND.key(), "utp");
            return DONE;
        }
        return NO;
    }

    /** BEP 29 header: type 0..4, version 1, a known extension chain ending inside the datagram. */
    static boolean utpHeader(byte[] b, int off, int len) {
        if (len < 20 || (b[off] & 0x0F) != 1 || ((b[off] & 0xF0) >> 4) > 4) {
            return false;
        }
        int type = (b[off] & 0xF0) >> 4;
        int ext = b[off + 1] & 0xFF;
        int p = off + 20;
        int end = off + len;
        int hops = 0;
        while (ext != 0) {
            if (ext > 4 || p + 2 > end || ++hops > 4) {
                return false;
            }
            int next = b[p] & 0xFF;
            int l = b[p + 1] & 0xFF;
            if (l == 0 || p + 2 + l > end || (ext == 1 && (l & 3) != 0)) {
                return false;
            }
            p += 2 + l;
            ext = next;
        }
        // only data packets carry payload
        return type == 0 ? p < end : p == end;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int u32(byte[] b, int i) {
        return (u16(b, i) << 16) | u16(b, i + 2);
    }
}
