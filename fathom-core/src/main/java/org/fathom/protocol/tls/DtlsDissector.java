package org.fathom.protocol.tls;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;

/**
 * DTLS (RFC 6347, RFC 9147) on any UDP port. A datagram is DTLS when it is exactly filled by
 * records with a DTLS record header (content type 20 to 25, version 1.0 {@code 0xfeff}, 1.2
 * {@code 0xfefd} or 1.3 {@code 0xfefc}, or 0x0100 of the pre-standard DTLS that Cisco AnyConnect
 * speaks; 13-byte header, consistent length). A flow joined in the
 * middle (application data, epoch above 0) is recognised the same way, as nDPI does. STUN
 * datagrams that share the port in WebRTC (RFC 7983 demultiplexing) are skipped while probing.
 *
 * <p>Handshake messages (12-byte header with message sequence and fragment offset/length) are
 * put back together per message from fragments in any order: the ClientHello (with its cookie
 * field) gives SNI, ALPN, JA3 and JA4 (protocol letter {@code d}, defined by the JA4
 * specification for DTLS; versions d1, d2, d3), the ServerHello the version and cipher, the
 * Certificate (DTLS 1.2 and older) the server certificate fields, as for TLS.
 */
public final class DtlsDissector implements Dissector {
    static final int MESSAGE_CAP = 32 * 1024;
    private static final Descriptor DESCRIPTOR = Descriptor.udp("DTLS", "Web").withProbeDepth(10);

    static final class State {
        FragmentBuffer clientHello;
        FragmentBuffer serverHello;
        FragmentBuffer certificate;
        boolean chDone;
        boolean shDone;
        boolean certDone;
        boolean matched;
        boolean encryptedHandshake;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        State st = (State) ctx.state();
        if (st == null || !st.matched) {
            if (len < 13) {
                return NO;
            }
            int b0 = buf[off] & 0xFF;
            if (b0 < 20 || b0 > 25) {
                if (stun(buf, off, len)) {
                    return NEED_MORE; // WebRTC: STUN first, DTLS after on the same port pair
                }
                return NO;
            }
            if (!framed(buf, off, len)) {
                int v = ((buf[off + 1] & 0xFF) << 8) | (buf[off + 2] & 0xFF);
                // a damaged or odd datagram with a real-looking first header: wait for the next one
                return b0 == TlsRecordStream.CT_HANDSHAKE && (v == 0xfeff || v == 0xfefd) ? NEED_MORE : NO;
            }
            if (st == null) {
                st = new State();
                ctx.setState(st);
            }
            st.matched = true;
            if (fromClient && firstHandshakeType(buf, off, len) >= 2) {
                // joined with the roles reversed: ServerHello or HelloVerifyRequest come from the server
                ctx.swapClient();
                fromClient = false;
            }
        } else if (!framed(buf, off, len)) {
            return stun(buf, off, len) ? MATCH : DONE;
        }
        int end = off + len;
        for (int p = off; p + 13 <= end; ) {
            int type = buf[p] & 0xFF;
            int epoch = ((buf[p + 3] & 0xFF) << 8) | (buf[p + 4] & 0xFF);
            int rl = ((buf[p + 11] & 0xFF) << 8) | (buf[p + 12] & 0xFF);
            int body = p + 13;
            if (type == TlsRecordStream.CT_HANDSHAKE && epoch == 0) {
                handshake(st, ctx, fromClient, buf, body, body + rl);
            }
            p = body + rl;
        }
        if (st.encryptedHandshake || st.certDone) {
            return DONE;
        }
        if (st.chDone && st.shDone && !fromClient && !sawClearHandshake(buf, off, len)) {
            return DONE;
        }
        return MATCH;
    }

    /** Type of the first handshake message in the datagram's first record, or -1. */
    private static int firstHandshakeType(byte[] b, int off, int len) {
        if ((b[off] & 0xFF) != TlsRecordStream.CT_HANDSHAKE || len < 14) {
            return -1;
        }
        return b[off + 13] & 0xFF;
    }

    private static boolean sawClearHandshake(byte[] b, int off, int len) {
        return (b[off] & 0xFF) == TlsRecordStream.CT_HANDSHAKE && b[off + 3] == 0 && b[off + 4] == 0;
    }

    /** Whether records with DTLS headers fill the datagram exactly. */
    static boolean framed(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        int n = 0;
        while (p < end) {
            if (end - p < 13) {
                return false;
            }
            int type = b[p] & 0xFF;
            int v = ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF);
            if (type < 20 || type > 25 || (v != 0xfeff && v != 0xfefd && v != 0xfefc && v != 0x0100)) {
                return false;
            }
            int rl = ((b[p + 11] & 0xFF) << 8) | (b[p + 12] & 0xFF);
            if (rl == 0 || rl > end - p - 13) {
                return false;
            }
            p += 13 + rl;
            n++;
        }
        return n > 0;
    }

    /** A STUN message (RFC 5389): two zero top bits, length multiple of 4, the magic cookie. */
    static boolean stun(byte[] b, int off, int len) {
        if (len < 20 || (b[off] & 0xC0) != 0) {
            return false;
        }
        int ml = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        return (ml & 3) == 0 && ml + 20 <= len && (b[off + 4] & 0xFF) == 0x21 && (b[off + 5] & 0xFF) == 0x12
                && (b[off + 6] & 0xFF) == 0xA4 && (b[off + 7] & 0xFF) == 0x42;
    }

    private static void handshake(State st, FlowContext ctx, boolean fromClient, byte[] b, int p, int end) {
        while (end - p >= 12) {
            int type = b[p] & 0xFF;
            int ml = TlsRecordStream.u24(b, p + 1);
            int fo = TlsRecordStream.u24(b, p + 6);
            int fl = TlsRecordStream.u24(b, p + 9);
            int data = p + 12;
            if (fl > end - data || ml > MESSAGE_CAP || fo + fl > ml) {
                return;
            }
            if (fromClient && type == 1 && !st.chDone) {
                if (st.clientHello == null) {
                    st.clientHello = new FragmentBuffer(MESSAGE_CAP);
                }
                st.clientHello.add(fo, b, data, fl);
                if (st.clientHello.contiguous() >= ml) {
                    ClientHello ch = ClientHello.parse(st.clientHello.data() == null ? new byte[0] : st.clientHello.data(), 0, ml, true);
                    st.chDone = true;
                    st.clientHello = null;
                    if (ch != null) {
                        TlsMetadata.clientHello(ctx, ch, 'd');
                    } else {
                        ctx.addRisk(Risk.MALFORMED_PACKET);
                    }
                }
            } else if (!fromClient && type == 2 && !st.shDone) {
                if (st.serverHello == null) {
                    st.serverHello = new FragmentBuffer(MESSAGE_CAP);
                }
                st.serverHello.add(fo, b, data, fl);
                if (st.serverHello.contiguous() >= ml) {
                    ServerHello sh = ServerHello.parse(st.serverHello.data(), 0, ml);
                    st.shDone = true;
                    st.serverHello = null;
                    if (sh != null) {
                        TlsMetadata.serverHello(ctx, sh);
                        st.encryptedHandshake = TlsMetadata.encryptedHandshake(sh.version());
                    }
                }
            } else if (!fromClient && type == 11 && st.shDone && !st.certDone) {
                if (st.certificate == null) {
                    st.certificate = new FragmentBuffer(MESSAGE_CAP);
                }
                st.certificate.add(fo, b, data, fl);
                if (st.certificate.contiguous() >= ml) {
                    TlsDissector.certificateMessage(ctx, st.certificate.data(), 0, ml);
                    st.certDone = true;
                    st.certificate = null;
                }
            }
            p = data + fl;
        }
    }
}
