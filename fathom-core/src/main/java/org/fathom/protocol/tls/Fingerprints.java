package org.fathom.protocol.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * TLS client and server fingerprints.
 *
 * <ul>
 *   <li>JA3 (Salesforce): {@code SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats},
 *       decimal values joined by '-', GREASE removed, MD5 in lower-case hex. JA3S:
 *       {@code SSLVersion,Cipher,Extensions} of the ServerHello.</li>
 *   <li>JA4 (FoxIO, "JA4: TLS Client Fingerprint"): {@code a_b_c} where a is protocol
 *       ({@code t} TCP, {@code q} QUIC, {@code d} DTLS), version (highest supported_versions
 *       value else the legacy version: 13, 12, 11, 10, s3, s2, d1, d2, d3, else 00), {@code d}/{@code i}
 *       (SNI present or not), two-digit cipher and extension counts (GREASE removed, capped at 99),
 *       and the first and last characters of the first ALPN value ({@code 00} when none; the hex
 *       digits of its first and last byte when either is not alphanumeric); b is the first 12 hex
 *       digits of SHA-256 over the sorted 4-digit hex ciphers joined by ','; c the same over the
 *       sorted extensions without SNI (0000) and ALPN (0010), then '_' and the signature
 *       algorithms in wire order (no '_' when there are none). An empty list hashes to 12 zeros.</li>
 * </ul>
 */
public final class Fingerprints {
    private Fingerprints() {}

    public static String ja3(ClientHello ch) {
        return md5Hex(ja3String(ch));
    }

    public static String ja3String(ClientHello ch) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(ch.legacyVersion).append(',');
        decimals(sb, ch.ciphers, true);
        sb.append(',');
        decimals(sb, ch.extensions, true);
        sb.append(',');
        decimals(sb, ch.groups, true);
        sb.append(',');
        decimals(sb, ch.pointFormats, false);
        return sb.toString();
    }

    public static String ja3s(ServerHello sh) {
        StringBuilder sb = new StringBuilder(64);
        sb.append(sh.legacyVersion).append(',').append(sh.cipher).append(',');
        decimals(sb, sh.extensions, true);
        return md5Hex(sb.toString());
    }

    /** JA4 with protocol letter {@code t}, {@code q} or {@code d}. */
    public static String ja4(ClientHello ch, char transport) {
        String[] parts = ja4Parts(ch, transport);
        return parts[0] + '_' + sha12(parts[1]) + '_' + sha12(parts[2]);
    }

    /** The readable JA4 ("JA4_r"): part a, the cipher list and the extension list in clear. */
    public static String ja4Raw(ClientHello ch, char transport) {
        String[] parts = ja4Parts(ch, transport);
        return parts[0] + '_' + parts[1] + '_' + parts[2];
    }

    static String[] ja4Parts(ClientHello ch, char transport) {
        StringBuilder a = new StringBuilder(10);
        a.append(transport);
        int v = -1;
        for (int sv : ch.supportedVersions) {
            if (!Grease.is(sv) && ClientHello.versionRank(sv) > ClientHello.versionRank(v)) {
                v = sv;
            }
        }
        if (v < 0) {
            v = ch.legacyVersion;
        }
        a.append(switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002, 0x0200 -> "s2";
            case 0x0100 -> "s1";
            case 0xfeff -> "d1";
            case 0xfefd -> "d2";
            case 0xfefc -> "d3";
            default -> "00";
        });
        a.append(ch.hasSniExtension ? 'd' : 'i');
        int[] ciphers = withoutGrease(ch.ciphers);
        int[] exts = withoutGrease(ch.extensions);
        twoDigits(a, ciphers.length);
        twoDigits(a, exts.length);
        byte[] al = ch.firstAlpn;
        if (al == null || al.length == 0) {
            a.append("00");
        } else {
            int first = al[0] & 0xFF;
            int last = al[al.length - 1] & 0xFF;
            if (alnum(first) && alnum(last)) {
                a.append((char) first).append((char) last);
            } else {
                a.append(Character.forDigit(first >>> 4, 16)).append(Character.forDigit(last & 0xF, 16));
            }
        }
        Arrays.sort(ciphers);
        String b = hexList(ciphers, ciphers.length);
        int[] e = new int[exts.length];
        int n = 0;
        for (int x : exts) {
            if (x != ClientHello.EXT_SERVER_NAME && x != ClientHello.EXT_ALPN) {
                e[n++] = x;
            }
        }
        Arrays.sort(e, 0, n);
        String c;
        if (n == 0) {
            c = "";
        } else {
            c = hexList(e, n);
            if (ch.signatureAlgorithms.length > 0) {
                c = c + '_' + hexList(ch.signatureAlgorithms, ch.signatureAlgorithms.length);
            }
        }
        return new String[] {a.toString(), b, c};
    }

    private static boolean alnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static void twoDigits(StringBuilder sb, int n) {
        n = Math.min(n, 99);
        sb.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    private static int[] withoutGrease(int[] v) {
        int[] out = new int[v.length];
        int n = 0;
        for (int x : v) {
            if (!Grease.is(x)) {
                out[n++] = x;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static String hexList(int[] v, int n) {
        StringBuilder sb = new StringBuilder(n * 5);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            int x = v[i];
            sb.append(Character.forDigit((x >>> 12) & 0xF, 16)).append(Character.forDigit((x >>> 8) & 0xF, 16))
                    .append(Character.forDigit((x >>> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }

    private static void decimals(StringBuilder sb, int[] v, boolean dropGrease) {
        boolean first = true;
        for (int x : v) {
            if (dropGrease && Grease.is(x)) {
                continue;
            }
            if (!first) {
                sb.append('-');
            }
            sb.append(x);
            first = false;
        }
    }

    /** First 12 hex digits of SHA-256, or 12 zeros for an empty list. */
    static String sha12(String s) {
        if (s.isEmpty()) {
            return "000000000000";
        }
        return hex(digest("SHA-256", s)).substring(0, 12);
    }

    static String md5Hex(String s) {
        return hex(digest("MD5", s));
    }

    /** One digest of each kind per thread: looking one up through the providers costs more than hashing a fingerprint. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> newDigest("SHA-256"));
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> newDigest("MD5"));

    private static byte[] digest(String alg, String s) {
        MessageDigest d = switch (alg) {
            case "SHA-256" -> SHA256.get();
            case "MD5" -> MD5.get();
            default -> newDigest(alg);
        };
        return d.digest(s.getBytes(StandardCharsets.US_ASCII));   // digest() also resets it
    }

    private static MessageDigest newDigest(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " is required of every Java platform", e);
        }
    }

    static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder(d.length * 2);
        for (byte x : d) {
            sb.append(Character.forDigit((x >>> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return sb.toString();
    }
}
