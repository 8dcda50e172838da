package org.fathom.protocol.tls;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fields of an X.509 certificate (RFC 5280 section 4.1) that a flow record shows: subject and
 * issuer (the C, ST, L, O, OU and CN attributes, as "C=US, O=Example, CN=example.com"), their
 * common names, validity, and a few subjectAltName DNS names. {@link #parse} takes the DER bytes
 * of one certificate and never throws; null when the structure is not a certificate.
 */
public final class Certificate {
    static final int MAX_NAMES = 8;
    static final int MAX_TEXT = 200;

    private static final byte[] OID_SAN = {0x55, 0x1D, 0x11};

    public String subject;
    public String issuer;
    public String subjectCn;
    public String issuerCn;
    /** The first O and OU attributes of the subject and of the issuer (null when absent). */
    public String subjectOrg;
    public String subjectUnit;
    public String issuerOrg;
    public String issuerUnit;
    /** Validity bounds in epoch seconds (Long.MIN_VALUE when unreadable). */
    public long notBefore = Long.MIN_VALUE;
    public long notAfter = Long.MIN_VALUE;
    public final List<String> dnsNames = new ArrayList<>(4);
    /** Subject and issuer are the same name (byte for byte). */
    public boolean selfSigned;

    private Certificate() {}

    public static Certificate parse(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 0 || off + len > b.length) {
            return null;
        }
        Der top = new Der(b, off, off + len);
        if (!top.next(0x30)) {
            return null;
        }
        Der cert = top.inside();
        if (!cert.next(0x30)) {
            return null;
        }
        Der tbs = cert.inside();
        if (!tbs.next()) {
            return null;
        }
        if (tbs.tag == 0xA0 && !tbs.next()) { // [0] version, then serialNumber
            return null;
        }
        if (tbs.tag != 0x02) {
            return null;
        }
        if (!tbs.next(0x30)) { // signature AlgorithmIdentifier
            return null;
        }
        Certificate c = new Certificate();
        if (!tbs.next(0x30)) {
            return null;
        }
        int issuerStart = tbs.valueStart;
        int issuerEnd = tbs.valueEnd;
        String[] issuer = name(tbs.inside());
        c.issuer = issuer[0];
        c.issuerCn = issuer[1];
        c.issuerOrg = issuer[2];
        c.issuerUnit = issuer[3];
        if (!tbs.next(0x30)) {
            return null;
        }
        Der validity = tbs.inside();
        if (validity.next()) {
            c.notBefore = time(validity);
            if (validity.next()) {
                c.notAfter = time(validity);
            }
        }
        if (!tbs.next(0x30)) {
            return c; // subject missing: keep what was read
        }
        String[] subject = name(tbs.inside());
        c.subject = subject[0];
        c.subjectCn = subject[1];
        c.subjectOrg = subject[2];
        c.subjectUnit = subject[3];
        c.selfSigned = issuerEnd - issuerStart == tbs.length()
                && Arrays.equals(b, issuerStart, issuerEnd, b, tbs.valueStart, tbs.valueEnd);
        // subjectPublicKeyInfo, optional unique ids, then [3] extensions
        while (tbs.next()) {
            if (tbs.tag == 0xA3) {
                Der wrap = tbs.inside();
                if (wrap.next(0x30)) {
                    extensions(wrap.inside(), c);
                }
            }
        }
        return c;
    }

    private static void extensions(Der exts, Certificate c) {
        while (exts.next()) {
            if (exts.tag != 0x30) {
                continue;
            }
            Der ext = exts.inside();
            if (!ext.next(0x06) || !ext.valueEquals(OID_SAN)) {
                continue;
            }
            if (!ext.next()) {
                continue;
            }
            if (ext.tag == 0x01 && !ext.next()) { // critical BOOLEAN
                continue;
            }
            if (ext.tag != 0x04) {
                continue;
            }
            Der octets = ext.inside();
            if (!octets.next(0x30)) {
                continue;
            }
            Der names = octets.inside();
            while (names.next() && c.dnsNames.size() < MAX_NAMES) {
                if (names.tag == 0x82 && names.length() > 0) { // dNSName [2] IA5String
                    c.dnsNames.add(ClientHello.ascii(names.b, names.valueStart, Math.min(names.length(), MAX_TEXT)));
                }
            }
        }
    }

    /** Formats a Name: {text, common name, organization, organizational unit}. */
    private static String[] name(Der rdns) {
        StringBuilder sb = new StringBuilder(64);
        String cn = null;
        String o = null;
        String ou = null;
        while (rdns.next()) {
            if (rdns.tag != 0x31) {
                continue;
            }
            Der set = rdns.inside();
            while (set.next()) {
                if (set.tag != 0x30) {
                    continue;
                }
                Der atv = set.inside();
                if (!atv.next(0x06)) {
                    continue;
                }
                String key = attribute(atv);
                if (key == null || !atv.next()) {
                    continue;
                }
                String value = string(atv);
                if (value == null) {
                    continue;
                }
                if (key.equals("CN") && cn == null) {
                    cn = value;
                } else if (key.equals("O") && o == null) {
                    o = value;
                } else if (key.equals("OU") && ou == null) {
                    ou = value;
                }
                if (sb.length() < MAX_TEXT) {
                    if (!sb.isEmpty()) {
                        sb.append(", ");
                    }
                    sb.append(key).append('=').append(value);
                }
            }
        }
        return new String[] {sb.isEmpty() ? null : sb.toString(), cn, o, ou};
    }

    /** The short name of a 2.5.4.x attribute type that the record shows, else null. */
    private static String attribute(Der oid) {
        if (oid.length() != 3 || oid.b[oid.valueStart] != 0x55 || oid.b[oid.valueStart + 1] != 0x04) {
            return null;
        }
        return switch (oid.b[oid.valueStart + 2]) {
            case 3 -> "CN";
            case 6 -> "C";
            case 7 -> "L";
            case 8 -> "ST";
            case 10 -> "O";
            case 11 -> "OU";
            default -> null;
        };
    }

    private static String string(Der v) {
        int n = Math.min(v.length(), MAX_TEXT);
        return switch (v.tag) {
            case 0x0C -> utf8(v.b, v.valueStart, n); // UTF8String
            case 0x13, 0x16, 0x14, 0x1A -> ClientHello.ascii(v.b, v.valueStart, n); // Printable, IA5, Teletex, Visible
            case 0x1E -> { // BMPString
                StringBuilder sb = new StringBuilder(n / 2);
                for (int i = v.valueStart; i + 1 < v.valueStart + n; i += 2) {
                    char ch = (char) (((v.b[i] & 0xFF) << 8) | (v.b[i + 1] & 0xFF));
                    sb.append(Character.isISOControl(ch) || Character.isSurrogate(ch) ? '?' : ch);
                }
                yield sb.toString();
            }
            default -> null;
        };
    }

    private static String utf8(byte[] b, int p, int n) {
        String s = new String(b, p, n, java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch)) {
                if (sb == null) {
                    sb = new StringBuilder(s.substring(0, i));
                }
                sb.append('?');
            } else if (sb != null) {
                sb.append(ch);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) to epoch seconds. */
    static long time(Der t) {
        int p = t.valueStart;
        int n = t.length();
        int year;
        if (t.tag == 0x17 && n >= 11) {
            int yy = digits(t.b, p, 2);
            if (yy < 0) {
                return Long.MIN_VALUE;
            }
            year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 4.1.2.5.1
            p += 2;
        } else if (t.tag == 0x18 && n >= 13) {
            year = digits(t.b, p, 4);
            p += 4;
        } else {
            return Long.MIN_VALUE;
        }
        int mo = digits(t.b, p, 2);
        int d = digits(t.b, p + 2, 2);
        int h = digits(t.b, p + 4, 2);
        int mi = digits(t.b, p + 6, 2);
        int s = 0;
        if (t.valueEnd - (p + 8) >= 2 && t.b[p + 8] != 'Z') {
            s = digits(t.b, p + 8, 2);
        }
        if (year < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) {
            return Long.MIN_VALUE;
        }
        try {
            return LocalDateTime.of(year, mo, d, h, mi, Math.min(s, 59)).toEpochSecond(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static int digits(byte[] b, int p, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int c = b[p + i] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            v = v * 10 + c;
        }
        return v;
    }

    /** ISO-8601 UTC text of epoch seconds, e.g. {@code 2024-05-01T12:00:00Z}. */
    public static String iso(long epochSeconds) {
        return java.time.Instant.ofEpochSecond(epochSeconds).toString();
    }
}
