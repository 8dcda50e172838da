package org.fathom.protocol.tls;

import java.util.List;
import java.util.Locale;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;

/**
 * Turns parsed handshake messages into flow metadata and risks, the same way for TLS, DTLS and
 * QUIC (which carries the TLS handshake in CRYPTO frames). Keys: {@code tls.sni}, {@code tls.alpn},
 * {@code tls.client_version}, {@code tls.ja3}, {@code tls.ja4}, {@code tls.ech}, {@code tls.version},
 * {@code tls.cipher}, {@code tls.ja3s}, {@code tls.cert_subject}, {@code tls.cert_issuer},
 * {@code tls.cert_not_before}, {@code tls.cert_not_after}, {@code tls.cert_names}.
 */
public final class TlsMetadata {
    private TlsMetadata() {}

    /**
     * Records what a ClientHello tells.
     *
     * @param transport JA4's protocol letter: {@code t} (TLS over TCP), {@code q} (QUIC) or {@code d} (DTLS)
     */
    public static void clientHello(FlowContext ctx, ClientHello ch, char transport) {
        if (ch.sni != null && !ch.sni.isEmpty()) {
            ctx.put(Registration.TLS_SNI.key(), ch.sni);
            ctx.setHost(ch.sni, false);
            if (numericHost(ch.sni)) {
                ctx.addRisk(Risk.NUMERIC_HOST);
            }
        } else {
            ctx.addRisk(Risk.MISSING_SNI);
        }
        if (!ch.alpn.isEmpty()) {
            ctx.put(Registration.TLS_ALPN.key(), List.copyOf(ch.alpn));
            String first = ch.alpn.get(0);
            if (first.equals("dot") || first.startsWith("doq")) {
                ctx.setApplication("DoH_DoT", "Network");
            }
            org.fathom.protocol.Service vendor = TlsServices.fromAlpn(ch.alpn);
            if (vendor != null) {
                ctx.setApplication(vendor.name(), vendor.category());
            }
        }
        ctx.put(Registration.TLS_CLIENT_VERSION.key(), versionName(ch.highestVersion()));
        String[] fp = FingerprintCache.get().fingerprints(ch, transport);
        ctx.put(Registration.TLS_JA3.key(), fp[0]);
        ctx.put(Registration.TLS_JA4.key(), fp[1]);
        if (ch.ech) {
            ctx.put(Registration.TLS_ECH.key(), Boolean.TRUE);
        }
    }

    /** Records the negotiated parameters of a ServerHello (not a HelloRetryRequest). */
    public static void serverHello(FlowContext ctx, ServerHello sh) {
        int v = sh.version();
        ctx.put(Registration.TLS_VERSION.key(), versionName(v));
        ctx.put(Registration.TLS_CIPHER.key(), CipherSuites.name(sh.cipher));
        ctx.put(Registration.TLS_JA3S.key(), Fingerprints.ja3s(sh));
        if (obsolete(v)) {
            ctx.addRisk(Risk.OBSOLETE_TLS);
        }
        if (CipherSuites.weak(sh.cipher)) {
            ctx.addRisk(Risk.WEAK_CIPHER);
        }
    }

    /** Records the server's (first) certificate. */
    public static void certificate(FlowContext ctx, Certificate c) {
        ctx.put(Registration.TLS_CERT_SUBJECT.key(), c.subject);
        ctx.put(Registration.TLS_CERT_ISSUER.key(), c.issuer);
        if (c.notBefore != Long.MIN_VALUE) {
            ctx.put(Registration.TLS_CERT_NOT_BEFORE.key(), Certificate.iso(c.notBefore));
        }
        if (c.notAfter != Long.MIN_VALUE) {
            ctx.put(Registration.TLS_CERT_NOT_AFTER.key(), Certificate.iso(c.notAfter));
        }
        if (!c.dnsNames.isEmpty()) {
            ctx.put(Registration.TLS_CERT_NAMES.key(), List.copyOf(c.dnsNames));
        }
        if (c.selfSigned) {
            ctx.addRisk(Risk.SELF_SIGNED_CERT);
        }
        vendorCertificate(ctx, c);
        long now = Math.floorDiv(ctx.timestampNanos(), 1_000_000_000L);
        if (c.notAfter != Long.MIN_VALUE && c.notBefore != Long.MIN_VALUE && (now > c.notAfter || now < c.notBefore)) {
            ctx.addRisk(Risk.EXPIRED_CERT);
        }
        // without SNI, the certificate names the server
        String host = c.subjectCn != null && c.subjectCn.indexOf('.') > 0 ? c.subjectCn
                : c.dnsNames.isEmpty() ? c.subjectCn : c.dnsNames.get(0);
        if (host != null && ctx.get(Registration.TLS_SNI.key()) == null) {
            if (host.startsWith("*.")) {
                host = host.substring(2);
            }
            ctx.setHost(host.toLowerCase(Locale.ROOT), false);
        }
    }

    /**
     * Names the flow's service after a vendor's certificate ({@link TlsServices}), the server's or
     * the client's; records nothing of the certificate itself (a client certificate names a user).
     */
    public static void vendorCertificate(FlowContext ctx, Certificate c) {
        Object sni = ctx.get(Registration.TLS_SNI.key());
        org.fathom.protocol.Service vendor = TlsServices.fromCertificate(c, sni instanceof String s ? s : null);
        if (vendor != null) {
            ctx.setApplication(vendor.name(), vendor.category());
        }
    }

    /** SSLv2, SSLv3, TLS 1.0 and 1.1, DTLS 1.0. */
    public static boolean obsolete(int v) {
        return v == 0x0002 || v == 0x0300 || v == 0x0301 || v == 0x0302 || v == 0xfeff;
    }

    /** nDPI's spelling: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, SSLv3, SSLv2, DTLSv1.0, DTLSv1.2, DTLSv1.3. */
    public static String versionName(int v) {
        return switch (v) {
            case 0x0002 -> "SSLv2";
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv1";
            case 0x0302 -> "TLSv1.1";
            case 0x0303 -> "TLSv1.2";
            case 0x0304 -> "TLSv1.3";
            case 0xfeff -> "DTLSv1.0";
            case 0xfefd -> "DTLSv1.2";
            case 0xfefc -> "DTLSv1.3";
            default -> (v >>> 8) == 0x7f ? "TLSv1.3 (draft " + (v & 0xFF) + ")" : String.format("0x%04x", v & 0xFFFF);
        };
    }

    /** Whether a TLS 1.3 (or draft) version was negotiated: the rest of the handshake is encrypted. */
    public static boolean encryptedHandshake(int v) {
        return v == 0x0304 || v == 0xfefc || (v >>> 8) == 0x7f;
    }

    /** An IPv4 dotted quad or an IPv6 literal. */
    static boolean numericHost(String h) {
        int dots = 0;
        boolean v4 = !h.isEmpty();
        boolean colon = false;
        boolean v6 = !h.isEmpty();
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                v4 = false;
            }
            if (c == ':') {
                colon = true;
            } else if (Character.digit(c, 16) < 0 && c != '.' && c != '[' && c != ']') {
                v6 = false;
            }
        }
        return (v4 && dots == 3) || (v6 && colon);
    }
}
