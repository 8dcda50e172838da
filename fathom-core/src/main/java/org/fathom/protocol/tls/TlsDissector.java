package org.fathom.protocol.tls;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.PendingTransactions;
import org.fathom.protocol.Risk;

/**
 * TLS over TCP (RFC 8446, RFC 5246, SSL 3.0), and the SSLv2-format ClientHello.
 *
 * <p>Recognition: the first bytes of a direction must be a handshake record header (type 22,
 * version 3.0 to 3.4, sane length) followed by a ClientHello (from the client) or ServerHello
 * header with a plausible version, or an SSLv2 CLIENT-HELLO whose lengths add up. Then the
 * {@link TlsRecordStream}s of both directions deliver handshake messages: ClientHello (SNI, ALPN,
 * fingerprints), ServerHello (negotiated version, cipher, JA3S) and, when the handshake stays in
 * clear (TLS 1.2 and older), the server's first certificate. Inspection ends after the ServerHello
 * of TLS 1.3, after the Certificate (or the ServerHelloDone or ChangeCipherSpec) otherwise.
 *
 * <p>Implicit-TLS services are separate instances that only take flows on their ports and name
 * the protocol as nDPI does: IMAPS (993), POPS (995), SMTPS (465, and 587 when TLS is spoken from
 * the first byte). The generic instance leaves those ports to them. TLS on 853 is DNS over TLS:
 * application {@code DoH_DoT}, as an ALPN of {@code dot} also says.
 */
public final class TlsDissector implements Dissector {
    /** Ports owned by the implicit-TLS instances. */
    private static final int[] IMPLICIT_PORTS = {993, 995, 465, 587};
    static final int HEAD = 11;

    private final Descriptor descriptor;
    private final int[] acceptPorts;

    /** The generic TLS instance. */
    public TlsDissector() {
        this(Descriptor.tcp("TLS", "Web", 443, 8443, 853), null);
    }

    private TlsDissector(Descriptor d, int[] acceptPorts) {
        this.descriptor = d;
        this.acceptPorts = acceptPorts;
    }

    /** TLS from the first byte on a dedicated port, named after the service (IMAPS, POPS, SMTPS). */
    public static TlsDissector implicit(String name, String category, int[] ports, int... acceptPorts) {
        return new TlsDissector(Descriptor.tcp(name, category, ports), acceptPorts);
    }

    /** The implicit-TLS instances, in registration order. */
    public static TlsDissector[] implicitServices() {
        return new TlsDissector[] {
            implicit("IMAPS", "Email", new int[] {993}, 993),
            implicit("POPS", "Email", new int[] {995}, 995),
            implicit("SMTPS", "Email", new int[] {465}, 465, 587),
        };
    }

    @Override
    public Descriptor descriptor() {
        return descriptor;
    }

    /** Per-flow state: the two directions' framers and what has been learnt. */
    static final class State implements TlsRecordStream.Handler, PendingTransactions {
        long clientHelloNanos;
        // events path: the handshake is over when both sides switched to ciphertext, or at an alert
        boolean clientCipher;
        boolean serverCipher;
        boolean emitted;

        @Override
        public boolean alert(int level, int description) {
            ctx.put(Registration.TLS_ALERT.key(), alertName(description));
            ctx.put(Registration.TLS_ALERT_FROM.key(), fromClient ? "client" : "server");
            if (level == 1) {
                return true;   // a warning (e.g. unrecognized_name before the ServerHello): the handshake goes on
            }
            if (ctx.transactions()) {
                emit(ctx);
            }
            done = true;
            return false;
        }

        @Override
        public void flush(FlowContext c) {
            if (matched) {
                emit(c);
            }
        }

        void emit(FlowContext c) {
            if (emitted || !c.transactions()) {
                return;
            }
            emitted = true;
            java.util.LinkedHashMap<String, Object> e = new java.util.LinkedHashMap<>();
            for (String k : EVENT_FIELDS) {
                e.put(k, c.get(k));
            }
            c.transaction("tls", e);
        }

        TlsRecordStream client;
        TlsRecordStream server;
        final byte[] head = new byte[HEAD];
        int headLen;
        boolean matched;
        boolean sslv2;
        boolean clientHello;
        boolean serverHello;
        boolean done;
        boolean clientBytes;
        boolean serverBytes;
        boolean headFromClient;
        boolean headDone;
        boolean swapNow;
        boolean midstream;
        // during a feed
        FlowContext ctx;
        boolean fromClient;
        boolean malformed;

        @Override
        public boolean record(int contentType, int version, int length) {
            if (ctx.transactions() && !sslv2) {
                // events: watch until both sides have switched to ciphertext, so that an alert
                // in clear (a rejected certificate, no common cipher) is part of the handshake's event
                boolean cipher = contentType == TlsRecordStream.CT_CHANGE_CIPHER_SPEC
                        || contentType == TlsRecordStream.CT_APPLICATION_DATA;
                if (cipher && fromClient && clientHello) {
                    clientCipher = true;
                } else if (cipher && !fromClient && serverHello) {
                    serverCipher = true;
                }
                if (clientCipher && serverCipher) {
                    emit(ctx);
                    done = true;
                    return false;
                }
                return true;
            }
            if (!fromClient && serverHello
                    && (contentType == TlsRecordStream.CT_CHANGE_CIPHER_SPEC || contentType == TlsRecordStream.CT_APPLICATION_DATA)) {
                done = true; // resumed session, or the clear part is over
                return false;
            }
            return true;
        }

        @Override
        public boolean message(int type, byte[] b, int off, int len) {
            if (fromClient) {
                if (type == 1 && !clientHello) {
                    ClientHello ch = ClientHello.parse(b, off, len, false);
                    if (ch == null) {
                        malformed = true;
                        return false;
                    }
                    clientHello = true;
                    matched = true;
                    clientHelloNanos = ctx.timestampNanos();
                    TlsMetadata.clientHello(ctx, ch, 't');
                    if (ctx.serverPort() == 853 || ctx.clientPort() == 853) {
                        ctx.setApplication("DoH_DoT", "Network");
                    }
                } else if (type == 11 && clientHello) {
                    // a client certificate in clear (TLS 1.2 mutual authentication, sent once per
                    // handshake): only a vendor's own naming is used (AnyDesk's self-signed "AnyDesk
                    // Client"); nothing is recorded. No flag for it, so TLS's flow state stays as large as before
                    Certificate c = firstCertificate(b, off, len);
                    if (c != null) {
                        TlsMetadata.vendorCertificate(ctx, c);
                    }
                }
                return true;
            }
            switch (type) {
                case 2 -> {
                    if (serverHello) {
                        return true;
                    }
                    ServerHello sh = ServerHello.parse(b, off, len);
                    if (sh == null) {
                        malformed = true;
                        return false;
                    }
                    matched = true;
                    if (sh.helloRetryRequest) {
                        return true; // the real ServerHello follows a second ClientHello
                    }
                    serverHello = true;
                    TlsMetadata.serverHello(ctx, sh);
                    if (clientHelloNanos != 0) {
                        ctx.put(Registration.TLS_HANDSHAKE_MS.key(), Math.round((ctx.timestampNanos() - clientHelloNanos) / 1000.0) / 1000.0);
                    }
                    if (TlsMetadata.encryptedHandshake(sh.version()) && !ctx.transactions()) {
                        done = true;
                        return false;
                    }
                }
                case 11 -> {
                    if (serverHello && ctx.get(Registration.TLS_CERT_SUBJECT.key()) == null) {
                        certificateMessage(ctx, b, off, len);
                        if (!ctx.transactions()) {
                            done = true;
                            return false;
                        }
                    }
                }
                case 14 -> {
                    if (serverHello && !ctx.transactions()) {
                        done = true; // ServerHelloDone without a certificate (anonymous, PSK)
                        return false;
                    }
                }
                default -> { }
            }
            return true;
        }
    }

    /** The first certificate of a TLS 1.2 Certificate message body, else null. */
    static Certificate firstCertificate(byte[] b, int off, int len) {
        if (len < 6) {
            return null;
        }
        int listLen = TlsRecordStream.u24(b, off);
        int certLen = TlsRecordStream.u24(b, off + 3);
        if (listLen > len - 3 || certLen > listLen - 3 || certLen == 0) {
            return null;
        }
        return Certificate.parse(b, off + 6, certLen);
    }

    /** Parses the first certificate of a TLS 1.2 Certificate message body. */
    static void certificateMessage(FlowContext ctx, byte[] b, int off, int len) {
        Certificate c = firstCertificate(b, off, len);
        if (c != null) {
            int certLen = TlsRecordStream.u24(b, off + 3);
            TlsMetadata.certificate(ctx, c);
            if (ctx.transactions()) {
                ctx.put(Registration.TLS_CERT_SHA1.key(), sha1(b, off + 6, certLen));
            }
        }
    }

    /** The fields of a {@code tls} event, in output order (each as the flow record has it). */
    static final String[] EVENT_FIELDS = {
        Registration.TLS_VERSION.key(),
        Registration.TLS_CLIENT_VERSION.key(),
        Registration.TLS_SNI.key(),
        Registration.TLS_ALPN.key(),
        Registration.TLS_CIPHER.key(),
        Registration.TLS_JA3.key(),
        Registration.TLS_JA3S.key(),
        Registration.TLS_JA4.key(),
        Registration.TLS_ECH.key(),
        Registration.TLS_CERT_SUBJECT.key(),
        Registration.TLS_CERT_ISSUER.key(),
        Registration.TLS_CERT_NOT_BEFORE.key(),
        Registration.TLS_CERT_NOT_AFTER.key(),
        Registration.TLS_CERT_SHA1.key(),
        Registration.TLS_HANDSHAKE_MS.key(),
        Registration.TLS_ALERT.key(),
        Registration.TLS_ALERT_FROM.key(),
    };

    /** SHA-1 of a certificate's DER bytes, lower-case hex (the usual certificate fingerprint). */
    static String sha1(byte[] b, int off, int len) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-1");
            md.update(b, off, len);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** Alert description names (RFC 8446 section 6, RFC 5246 section 7.2). */
    static String alertName(int d) {
        return switch (d) {
            case 0 -> "close_notify";
            case 10 -> "unexpected_message";
            case 20 -> "bad_record_mac";
            case 21 -> "decryption_failed";
            case 22 -> "record_overflow";
            case 30 -> "decompression_failure";
            case 40 -> "handshake_failure";
            case 41 -> "no_certificate";
            case 42 -> "bad_certificate";
            case 43 -> "unsupported_certificate";
            case 44 -> "certificate_revoked";
            case 45 -> "certificate_expired";
            case 46 -> "certificate_unknown";
            case 47 -> "illegal_parameter";
            case 48 -> "unknown_ca";
            case 49 -> "access_denied";
            case 50 -> "decode_error";
            case 51 -> "decrypt_error";
            case 60 -> "export_restriction";
            case 70 -> "protocol_version";
            case 71 -> "insufficient_security";
            case 80 -> "internal_error";
            case 86 -> "inappropriate_fallback";
            case 90 -> "user_canceled";
            case 100 -> "no_renegotiation";
            case 109 -> "missing_extension";
            case 110 -> "unsupported_extension";
            case 112 -> "unrecognized_name";
            case 113 -> "bad_certificate_status_response";
            case 115 -> "unknown_psk_identity";
            case 116 -> "certificate_required";
            case 120 -> "no_application_protocol";
            default -> "alert_" + d;
        };
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            if (len <= 0) {
                return NEED_MORE;
            }
            if (!portAllowed(ctx)) {
                return NO;
            }
            int b0 = buf[off] & 0xFF;
            if (b0 != 0x16 && (b0 & 0x80) == 0 && b0 != 0x14 && b0 != 0x15 && b0 != 0x17) {
                return NO; // the cheap test every other flow meets
            }
            if (len >= 2 && (b0 & 0x80) == 0 && buf[off + 1] != 3) {
                return NO;
            }
            if (len >= 3 && ((b0 & 0x80) != 0 ? buf[off + 2] != 1 : (buf[off + 2] & 0xFF) > 4)) {
                return NO; // SSLv2 CLIENT-HELLO type, or TLS minor version
            }
            st = new State();
            st.headFromClient = fromClient;
            ctx.setState(st);
        }
        if (st.done) {
            return DONE;
        }
        if (len <= 0) {
            return st.matched ? MATCH : NEED_MORE;
        }
        if (!st.headDone) {
            if (fromClient != st.headFromClient) {
                return NO; // the other side spoke before a whole hello header: not TLS
            }
            int before = st.headLen;
            int r = head(st, ctx, fromClient, buf, off, len);
            if (r != MATCH) {
                return r;
            }
            st.headDone = true;
            if (st.sslv2) {
                return MATCH;
            }
            if (st.swapNow) {
                st.swapNow = false;
                fromClient = !fromClient;
            }
            int headBytes = st.midstream ? 5 : HEAD;
            int taken = headBytes - before;
            int r2 = feed(st, ctx, fromClient, st.head, 0, headBytes);
            if ((r2 != MATCH && r2 != NEED_MORE) || taken >= len) {
                return r2;
            }
            off += taken;
            len -= taken;
        }
        if (st.sslv2) {
            if (fromClient) {
                return MATCH; // later client bytes (key exchange) tell nothing more
            }
            if (!st.serverBytes && (buf[off] & 0x80) != 0) {
                // SSLv2 SERVER-HELLO: the connection stays on SSLv2
                ctx.put(Registration.TLS_VERSION.key(), "SSLv2");
                ctx.addRisk(Risk.OBSOLETE_TLS);
                st.done = true;
                return DONE;
            }
        }
        return feed(st, ctx, fromClient, buf, off, len);
    }

    private static int feed(State st, FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        if (fromClient) {
            st.clientBytes = true;
        } else {
            st.serverBytes = true;
        }
        TlsRecordStream s = fromClient ? st.client : st.server;
        if (s == null) {
            s = new TlsRecordStream();
            if (fromClient) {
                st.client = s;
            } else {
                st.server = s;
            }
        }
        st.ctx = ctx;
        st.fromClient = fromClient;
        int status;
        try {
            status = s.feed(buf, off, len, st);
        } finally {
            st.ctx = null;
        }
        if (st.done) {
            return DONE;
        }
        if (status == TlsRecordStream.ERROR || status == TlsRecordStream.OVERFLOW || st.malformed) {
            if (!st.matched) {
                return NO;
            }
            if (st.malformed) {
                ctx.addRisk(Risk.MALFORMED_PACKET);
            }
            st.done = true;
            return DONE;
        }
        if (status == TlsRecordStream.STOPPED) {
            st.done = true;
            return DONE;
        }
        if (st.midstream && !st.matched) {
            // records must end exactly where the segment ends: then the framing is real
            if (s.records() > 0 && s.atBoundary()) {
                st.matched = true;
                st.done = true;
                return DONE;
            }
            return NEED_MORE;
        }
        return st.matched ? MATCH : NEED_MORE;
    }

    private boolean portAllowed(FlowContext ctx) {
        int sp = ctx.serverPort();
        int cp = ctx.clientPort();
        if (acceptPorts != null) {
            for (int p : acceptPorts) {
                if (p == sp || p == cp) {
                    return true;
                }
            }
            return false;
        }
        for (int p : IMPLICIT_PORTS) {
            if (p == sp || p == cp) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the first {@link #HEAD} bytes of the first direction that spoke: NO, NEED_MORE, or
     * MATCH (state updated; an SSLv2 hello is fully handled here).
     */
    private static int head(State st, FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        if (st.headLen >= HEAD) {
            return NEED_MORE;
        }
        int take = Math.min(HEAD - st.headLen, len);
        System.arraycopy(buf, off, st.head, st.headLen, take);
        st.headLen += take;
        byte[] h = st.head;
        int n = st.headLen;
        int b0 = h[0] & 0xFF;
        if (b0 == 0x14 || b0 == 0x15 || b0 == 0x17) {
            // joined after the handshake: ChangeCipherSpec, alert or application data records
            if (n >= 3) {
                int v = ((h[1] & 0xFF) << 8) | (h[2] & 0xFF);
                if (v < 0x0301 || v > 0x0304) {
                    return NO;
                }
            }
            if (n >= 5) {
                int rl = ((h[3] & 0xFF) << 8) | (h[4] & 0xFF);
                if (rl == 0 || rl > TlsRecordStream.MAX_RECORD) {
                    return NO;
                }
                st.midstream = true;
                st.headLen = HEAD; // the stream parser checks the rest
                return MATCH;
            }
            return NEED_MORE;
        }
        if (b0 == 0x16) {
            if (n >= 2 && h[1] != 3) {
                return NO;
            }
            if (n >= 3 && (h[2] & 0xFF) > 4) {
                return NO;
            }
            if (n >= 5) {
                int rl = ((h[3] & 0xFF) << 8) | (h[4] & 0xFF);
                if (rl < 4 || rl > TlsRecordStream.MAX_RECORD) {
                    return NO;
                }
            }
            int type = n >= 6 ? h[5] & 0xFF : -1;
            if (n >= 6 && type != 1 && type != 2) {
                return NO;
            }
            if (n >= 9) {
                int ml = TlsRecordStream.u24(h, 6);
                if (ml < 38 || ml > TlsRecordStream.MAX_BUFFER) {
                    return NO;
                }
            }
            if (n >= 10 && h[9] != 3) {
                return NO;
            }
            if (n >= 11 && (h[10] & 0xFF) > 4) {
                return NO;
            }
            if (n < HEAD) {
                return NEED_MORE;
            }
            boolean helloFromClient = type == 1;
            if (helloFromClient != fromClient) {
                // we joined with the roles reversed (no SYN seen): the sender of a ClientHello is the client
                ctx.swapClient();
                st.swapNow = true;
            }
            st.matched = true;
            return MATCH;
        }
        // SSLv2 record header with a CLIENT-HELLO (SSL 2.0 spec; RFC 6101 appendix E.1)
        if (!fromClient) {
            return NO;
        }
        if (n >= 3 && h[2] != 1) {
            return NO;
        }
        if (n >= 5) {
            int v = ((h[3] & 0xFF) << 8) | (h[4] & 0xFF);
            if (v != 0x0002 && (v < 0x0300 || v > 0x0303)) {
                return NO;
            }
        }
        if (n < HEAD) {
            return NEED_MORE;
        }
        int recLen = ((h[0] & 0x7F) << 8) | (h[1] & 0xFF);
        int csl = ((h[5] & 0xFF) << 8) | (h[6] & 0xFF);
        int sid = ((h[7] & 0xFF) << 8) | (h[8] & 0xFF);
        int chal = ((h[9] & 0xFF) << 8) | (h[10] & 0xFF);
        if (csl == 0 || csl % 3 != 0 || (sid != 0 && sid != 16) || chal < 16 || chal > 32 || 9 + csl + sid + chal != recLen) {
            return NO;
        }
        int v = ((h[3] & 0xFF) << 8) | (h[4] & 0xFF);
        st.sslv2 = true;
        st.matched = true;
        st.clientBytes = true;
        ctx.put(Registration.TLS_CLIENT_VERSION.key(), TlsMetadata.versionName(v));
        ctx.addRisk(Risk.MISSING_SNI);
        return MATCH;
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        java.util.List<org.fathom.protocol.Service> l = new java.util.ArrayList<>();
        l.add(new org.fathom.protocol.Service("DoH_DoT", "Network"));
        l.addAll(TlsServices.ALL);
        return l;
    }
}
