package org.fathom.protocol.quic;

import java.util.Arrays;
import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.tls.ClientHello;
import org.fathom.protocol.tls.FragmentBuffer;
import org.fathom.protocol.tls.ServerHello;
import org.fathom.protocol.tls.TlsMetadata;

/**
 * QUIC, on any UDP port. Recognition needs a long-header packet (RFC 8999 invariants) of a known
 * version with consistent lengths: IETF QUIC v1 and v2, drafts 17 to 34, mvfst, the reserved
 * versions 0x?a?a?a?a that force version negotiation, a Version Negotiation packet listing a
 * known version, or Google QUIC (gQUIC public header, Q046 long header, Q050/T05x).
 *
 * <p>Metadata: {@code quic.version} (nDPI's spelling: V-1, V-2, Draft-29, Q046, ...). The
 * client's Initial packets are decrypted (RFC 9001 section 5; RFC 9369 for v2) and their CRYPTO
 * frames, possibly spread over several packets and out of order, are put back together into the
 * TLS ClientHello, which gives the same keys as TLS over TCP: {@code tls.sni} (the one place for
 * the server name, whatever the transport), {@code tls.alpn}, {@code tls.ja3}, {@code tls.ja4}
 * (protocol letter {@code q}). The server's Initial gives the ServerHello ({@code tls.version},
 * {@code tls.cipher}, {@code tls.ja3s}). gQUIC's CHLO gives {@code tls.sni} and
 * {@code quic.user_agent}. Flows with only short-header packets are left to the port fallback.
 *
 * <p>Snapchat's calls (nDPI's {@code SnapchatCall}, from nDPI's quic.c): the app sets up a call
 * with a gQUIC Q046 connection and then sends the call's RTP and RTCP (RFC 3550) on the same UDP
 * 5-tuple. After a Q046 CHLO the flow is watched for up to {@link #MEDIA_WATCH} more datagrams; one
 * RTCP sender or receiver report whose length field fits the datagram, or two RTP packets of one
 * SSRC, name it {@code SnapchatCall} (category VoIP). Q046 packets cannot be taken for RTP: their
 * first byte always has the 0x40 bit set, RTP version 2 has it clear. Other QUIC flows end their
 * inspection at the handshake as before.
 */
public final class QuicDissector implements Dissector {
    static final int CRYPTO_CAP = 16 * 1024;
    /** Datagrams after a Q046 CHLO watched for a call's RTP/RTCP (nDPI looks at 20 packets in all). */
    static final int MEDIA_WATCH = 24;
    static final org.fathom.protocol.Service SNAPCHAT_CALL = new org.fathom.protocol.Service("SnapchatCall", "VoIP");
    private static final Descriptor DESCRIPTOR = Descriptor.udp("QUIC", "Web", 443);

    /** Per-flow state. */
    static final class State {
        int version;
        /** Q046 after its CHLO: datagrams left to watch for call media, and an RTP SSRC seen. */
        int mediaWatch = -1;
        long rtpSsrc = -1;
        byte[] dcid;
        QuicCrypto.Keys clientKeys;
        QuicCrypto.Keys serverKeys;
        FragmentBuffer clientCrypto;
        FragmentBuffer serverCrypto;
        boolean clientHello;
        boolean serverHello;
        boolean chlo;
        boolean versionPut;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    // results of looking at one datagram
    private static final int BAD = 0;
    private static final int OK = 1;
    private static final int NOTHING = 2; // valid but nothing to learn (short header, ...)

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            if (len < 7) {
                return NO;
            }
            int b0 = buf[off] & 0xFF;
            if ((b0 & 0x80) == 0) {
                // gQUIC public header (Q024..Q043): version and 8-byte connection id flags
                if ((b0 & 0x09) != 0x09 || (b0 & 0xC0) != 0 || len < 13 || !QuicVersion.google(u32(buf, off + 9))) {
                    return NO;
                }
            } else {
                int v = u32(buf, off + 1);
                if (v != 0 && !QuicVersion.known(v)) {
                    return NO;
                }
            }
            st = new State();
            ctx.setState(st);
            int r = datagram(st, ctx, fromClient, buf, off, len, true);
            if (r == BAD) {
                ctx.setState(null);
                return NO;
            }
            return verdict(st);
        }
        if (len <= 0) {
            return MATCH;
        }
        if (st.mediaWatch >= 0) {
            return watchMedia(st, ctx, buf, off, len);
        }
        int r = datagram(st, ctx, fromClient, buf, off, len, false);
        if (!fromClient && st.clientHello && (r != OK || st.serverHello)) {
            return DONE; // the server's Initial has been seen, or will not be
        }
        return verdict(st);
    }

    /** One datagram of a Q046 flow after its CHLO: RTP/RTCP names the call. */
    private static int watchMedia(State st, FlowContext ctx, byte[] b, int off, int len) {
        if (len >= 8 && (b[off] & 0xC0) == 0x80) { // RTP/RTCP version 2; every Q046 packet has 0x40 set
            int pt = b[off + 1] & 0xFF;
            if (pt == 200 || pt == 201) {
                int words = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
                int count = b[off] & 0x1F; // report blocks, 24 bytes each after the 8-byte header (+20 in an SR)
                int need = 8 + (pt == 200 ? 20 : 0) + 24 * count;
                if ((words + 1) * 4 >= need && (words + 1) * 4 <= len) {
                    ctx.setApplication(SNAPCHAT_CALL.name(), SNAPCHAT_CALL.category());
                    return DONE;
                }
            } else if (len >= 12 && rtpPayloadType(pt & 0x7F)) {
                long ssrc = u32(b, off + 8) & 0xFFFFFFFFL;
                if (st.rtpSsrc == ssrc) {
                    ctx.setApplication(SNAPCHAT_CALL.name(), SNAPCHAT_CALL.category());
                    return DONE;
                }
                st.rtpSsrc = ssrc;
            }
        }
        return --st.mediaWatch > 0 ? MATCH : DONE;
    }

    /** RTP payload types in use (RFC 3551 static types and the dynamic range); 72-76 would be RTCP. */
    private static boolean rtpPayloadType(int pt) {
        return pt <= 34 || pt >= 96;
    }

    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(SNAPCHAT_CALL);
    }

    private static int verdict(State st) {
        if (st.chlo && st.version == QuicVersion.Q046 && st.mediaWatch < 0) {
            st.mediaWatch = MEDIA_WATCH;
        }
        if (st.mediaWatch > 0) {
            return MATCH;
        }
        if (st.chlo) {
            return DONE;
        }
        return st.clientHello && st.serverHello ? DONE : MATCH;
    }

    /** Walks the (coalesced) packets of one datagram. */
    private int datagram(State st, FlowContext ctx, boolean fromClient, byte[] b, int off, int len, boolean first) {
        int end = off + len;
        int b0 = b[off] & 0xFF;
        if ((b0 & 0x80) == 0) {
            if (first) {
                return gquicPublicHeader(st, ctx, b, off, len);
            }
            return NOTHING;
        }
        int p = off;
        int result = NOTHING;
        while (p < end) {
            b0 = b[p] & 0xFF;
            if ((b0 & 0x80) == 0 || end - p < 7) {
                break; // a short-header packet fills the rest of the datagram
            }
            int v = u32(b, p + 1);
            if (v == 0) {
                return versionNegotiation(st, ctx, fromClient, b, p, end, first) ? OK : BAD;
            }
            if (!QuicVersion.known(v)) {
                return first && p == off ? BAD : result;
            }
            if (QuicVersion.google(v) && v != QuicVersion.Q050 && v != QuicVersion.T050 && v != QuicVersion.T051) {
                return gquicLongHeader(st, ctx, b, p, end, v) ? OK : (first ? BAD : result);
            }
            if ((b0 & 0x40) == 0 && !QuicVersion.reserved(v)) {
                return first ? BAD : result; // fixed bit
            }
            int dcil = b[p + 5] & 0xFF;
            int q = p + 6;
            if (dcil > 20 || q + dcil + 1 > end) {
                return first ? BAD : result;
            }
            int dcidOff = q;
            q += dcil;
            int scil = b[q++] & 0xFF;
            if (scil > 20 || q + scil > end) {
                return first ? BAD : result;
            }
            q += scil;
            putVersion(st, ctx, v);
            if (QuicVersion.reserved(v)) {
                // forcing version negotiation: the rest of the packet has no defined format
                return fromClient && len >= 1200 || !first ? OK : BAD;
            }
            int type = (b0 >>> 4) & 3;
            boolean v2 = QuicVersion.isV2(v);
            if (type == (v2 ? 0 : 3)) {
                return OK; // Retry: token and integrity tag fill the packet
            }
            boolean initial = type == QuicVersion.initialType(v);
            if (initial) {
                long tl = varint(b, q, end);
                if (tl < 0) {
                    return first ? BAD : result;
                }
                q += varintLength(b[q]);
                if (tl > end - q) {
                    return first ? BAD : result;
                }
                q += (int) tl;
            }
            long length = varint(b, q, end);
            if (length < 0) {
                return first ? BAD : result;
            }
            q += varintLength(b[q]);
            if (length > end - q || length < 1) {
                return first ? BAD : result;
            }
            int pktEnd = q + (int) length;
            result = OK;
            if (initial) {
                if (st.version == 0) {
                    st.version = v;
                }
                if (fromClient && st.dcid == null) {
                    st.dcid = Arrays.copyOfRange(b, dcidOff, dcidOff + dcil);
                }
                decryptInitial(st, ctx, fromClient, v, b, p, q, pktEnd);
            }
            p = pktEnd;
        }
        return result;
    }

    private static void putVersion(State st, FlowContext ctx, int v) {
        if (!st.versionPut || (QuicVersion.reserved(st.version) && !QuicVersion.reserved(v))) {
            ctx.put(Registration.QUIC_VERSION.key(), QuicVersion.name(v));
            st.versionPut = true;
            if (st.version == 0 || QuicVersion.reserved(st.version)) {
                st.version = v;
            }
        }
    }

    private void decryptInitial(State st, FlowContext ctx, boolean fromClient, int v, byte[] b, int start, int pnOffset, int end) {
        if (fromClient ? st.clientHello : st.serverHello) {
            return;
        }
        byte[] salt = QuicVersion.salt(v);
        if (salt == null || st.dcid == null) {
            return;
        }
        QuicCrypto c = QuicCrypto.get();
        QuicCrypto.Keys k = fromClient ? st.clientKeys : st.serverKeys;
        if (k == null) {
            k = c.initialKeys(v, salt, st.dcid, 0, st.dcid.length, !fromClient);
            if (fromClient) {
                st.clientKeys = k;
            } else {
                st.serverKeys = k;
            }
        }
        int n = end - start;
        if (n > c.scratch.length) {
            return;
        }
        System.arraycopy(b, start, c.scratch, 0, n);
        int plain = c.open(k, pnOffset - start, n);
        if (plain < 0) {
            return;
        }
        FragmentBuffer fb = fromClient ? st.clientCrypto : st.serverCrypto;
        if (fb == null) {
            fb = new FragmentBuffer(CRYPTO_CAP);
            if (fromClient) {
                st.clientCrypto = fb;
            } else {
                st.serverCrypto = fb;
            }
        }
        if (!frames(c.plain, plain, fb, QuicVersion.cryptoFrameType(v))) {
            return;
        }
        int have = fb.contiguous();
        if (!QuicVersion.tlsHandshake(v)) {
            if (fromClient && have > 0 && Chlo.parse(ctx, fb.data(), 0, have)) {
                st.chlo = true;
                st.clientHello = true;
            }
            return;
        }
        if (have < 4) {
            return;
        }
        byte[] d = fb.data();
        int ml = ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
        if (ml > have - 4) {
            return;
        }
        if (fromClient && d[0] == 1) {
            ClientHello ch = ClientHello.parse(d, 4, ml, false);
            if (ch != null) {
                st.clientHello = true;
                TlsMetadata.clientHello(ctx, ch, 'q');
            }
        } else if (!fromClient && d[0] == 2) {
            ServerHello sh = ServerHello.parse(d, 4, ml);
            if (sh != null) {
                st.serverHello = true;
                TlsMetadata.serverHello(ctx, sh);
            }
        }
    }

    /** Collects the CRYPTO frames of a decrypted Initial payload; false on a malformed frame. */
    static boolean frames(byte[] p, int len, FragmentBuffer fb, int cryptoType) {
        int q = 0;
        while (q < len) {
            int type = p[q] & 0xFF;
            if (type == 0x00 || type == 0x01) { // PADDING, PING
                q++;
                continue;
            }
            if ((type == 0x02 || type == 0x03) && cryptoType == 0x06) { // ACK
                q++;
                long[] v = new long[1];
                for (int i = 0; i < 3; i++) { // largest, delay, range count
                    if ((q = skipVarint(p, q, len, v)) < 0) {
                        return false;
                    }
                }
                long ranges = v[0];
                if ((q = skipVarint(p, q, len, v)) < 0 || ranges > 256) { // first range
                    return false;
                }
                for (long i = 0; i < 2 * ranges + (type == 0x03 ? 3 : 0); i++) {
                    if ((q = skipVarint(p, q, len, v)) < 0) {
                        return false;
                    }
                }
                continue;
            }
            if (type == cryptoType) { // CRYPTO
                q++;
                long offset = varint(p, q, len);
                if (offset < 0) {
                    return false;
                }
                q += varintLength(p[q]);
                long l = varint(p, q, len);
                if (l < 0) {
                    return false;
                }
                q += varintLength(p[q]);
                if (l > len - q) {
                    return false;
                }
                fb.add(offset, p, q, (int) l);
                q += (int) l;
                continue;
            }
            return true; // CONNECTION_CLOSE or a frame not allowed here: stop reading
        }
        return true;
    }

    private static int skipVarint(byte[] p, int q, int end, long[] out) {
        long v = varint(p, q, end);
        if (v < 0) {
            return -1;
        }
        out[0] = v;
        return q + varintLength(p[q]);
    }

    /** A Version Negotiation packet (RFC 9000 section 17.2.1) listing at least one known version. */
    private static boolean versionNegotiation(State st, FlowContext ctx, boolean fromClient, byte[] b, int p, int end, boolean first) {
        int dcil = b[p + 5] & 0xFF;
        int q = p + 6 + dcil;
        if (q >= end) {
            return false;
        }
        int scil = b[q] & 0xFF;
        q += 1 + scil;
        if (q >= end || (end - q) % 4 != 0) {
            return false;
        }
        boolean known = false;
        for (int i = q; i < end; i += 4) {
            int v = u32(b, i);
            if (v == 0) {
                return false;
            }
            known |= QuicVersion.known(v) && !QuicVersion.reserved(v);
        }
        if (!known) {
            return false;
        }
        if (first && fromClient) {
            ctx.swapClient(); // only servers send Version Negotiation
        }
        if (!st.versionPut) {
            ctx.put(Registration.QUIC_VERSION.key(), "Ver-Negotiation");
            st.versionPut = true;
        }
        return true;
    }

    /** gQUIC public header (Q024 to Q043): flags, 8-byte connection id, version, packet number. */
    private static int gquicPublicHeader(State st, FlowContext ctx, byte[] b, int off, int len) {
        int v = u32(b, off + 9);
        if (!QuicVersion.google(v)) {
            return BAD;
        }
        putVersion(st, ctx, v);
        st.version = v;
        if (Chlo.scan(ctx, b, off + 13, len - 13)) {
            st.chlo = true;
        }
        return OK;
    }

    /** gQUIC Q044 to Q049 long header: lengths in one byte as nibbles (0 or 3 + n), 8-byte ids. */
    private static boolean gquicLongHeader(State st, FlowContext ctx, byte[] b, int p, int end, int v) {
        int cil = b[p + 5] & 0xFF;
        int d = cil >>> 4;
        int s = cil & 0xF;
        int dl = d == 0 ? 0 : d + 3;
        int sl = s == 0 ? 0 : s + 3;
        int q = p + 6 + dl + sl;
        if (q > end) {
            return false;
        }
        putVersion(st, ctx, v);
        st.version = v;
        if (Chlo.scan(ctx, b, q, end - q)) {
            st.chlo = true;
        }
        return true;
    }

    static int u32(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    static int varintLength(byte first) {
        return 1 << ((first & 0xFF) >>> 6);
    }

    /** A QUIC variable-length integer (RFC 9000 section 16) at {@code p}, or -1 when truncated. */
    static long varint(byte[] b, int p, int end) {
        if (p >= end) {
            return -1;
        }
        int n = varintLength(b[p]);
        if (p + n > end) {
            return -1;
        }
        long v = b[p] & 0x3F;
        for (int i = 1; i < n; i++) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
    }
}
