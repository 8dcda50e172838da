package org.fathom.protocol.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed TLS (RFC 8446 section 4.1.2, RFC 5246 section 7.4.1.2) or DTLS (RFC 6347 section
 * 4.2.1, with the cookie field) ClientHello: the handshake message body, without the 4-byte
 * (TLS) or 12-byte (DTLS) handshake header. {@link #parse} never throws: malformed input gives
 * null. The values kept are the ones fingerprints and metadata need; lists are in wire order and
 * include GREASE values (RFC 8701), which the fingerprints remove.
 */
public final class ClientHello {
    /** Extension types used here (IANA "TLS ExtensionType Values"). */
    public static final int EXT_SERVER_NAME = 0x0000;
    public static final int EXT_SUPPORTED_GROUPS = 0x000a;
    public static final int EXT_EC_POINT_FORMATS = 0x000b;
    public static final int EXT_SIGNATURE_ALGORITHMS = 0x000d;
    public static final int EXT_ALPN = 0x0010;
    public static final int EXT_SUPPORTED_VERSIONS = 0x002b;
    public static final int EXT_ECH = 0xfe0d;

    static final int MAX_ALPN = 8;
    static final int MAX_NAME = 255;

    public int legacyVersion;
    public int[] ciphers = new int[0];
    public int[] extensions = new int[0];
    public int[] supportedVersions = new int[0];
    public int[] groups = new int[0];
    public int[] pointFormats = new int[0];
    public int[] signatureAlgorithms = new int[0];
    /** Server name (host_name type) as sent, or null. */
    public String sni;
    /** Whether a server_name extension was present (JA4 "d"), even if its name was unusable. */
    public boolean hasSniExtension;
    public final List<String> alpn = new ArrayList<>(2);
    /** Raw bytes of the first ALPN protocol (JA4 uses its first and last byte), or null. */
    public byte[] firstAlpn;
    public boolean ech;

    private ClientHello() {}

    /** Highest version offered: supported_versions (GREASE ignored) if present, else the legacy version. */
    public int highestVersion() {
        int best = -1;
        for (int v : supportedVersions) {
            if (!Grease.is(v) && versionRank(v) > versionRank(best)) {
                best = v;
            }
        }
        return best >= 0 ? best : legacyVersion;
    }

    /** Orders versions so that DTLS (0xfeXX, counting down) compares with TLS. */
    static int versionRank(int v) {
        if (v < 0) {
            return -1;
        }
        return switch (v) {
            case 0xfeff -> 0x0302; // DTLS 1.0 ~ TLS 1.1
            case 0xfefd -> 0x0303;
            case 0xfefc -> 0x0304;
            default -> v >= 0xfe00 ? 0 : v;
        };
    }

    /** Parses a ClientHello body; null when malformed. */
    public static ClientHello parse(byte[] b, int off, int len, boolean dtls) {
        if (b == null || off < 0 || len < 0 || off + len > b.length) {
            return null;
        }
        int p = off;
        int end = off + len;
        if (end - p < 2 + 32 + 1) {
            return null;
        }
        ClientHello ch = new ClientHello();
        ch.legacyVersion = u16(b, p);
        if (!plausibleVersion(ch.legacyVersion)) {
            return null;
        }
        p += 2 + 32;
        int sid = b[p++] & 0xFF;
        if (sid > 32 || p + sid > end) {
            return null;
        }
        p += sid;
        if (dtls) {
            if (p >= end) {
                return null;
            }
            int cookie = b[p++] & 0xFF;
            if (p + cookie > end) {
                return null;
            }
            p += cookie;
        }
        if (p + 2 > end) {
            return null;
        }
        int cs = u16(b, p);
        p += 2;
        if ((cs & 1) != 0 || p + cs > end) {
            return null;
        }
        ch.ciphers = u16List(b, p, cs);
        p += cs;
        if (p >= end) {
            return null;
        }
        int comp = b[p++] & 0xFF;
        if (comp < 1 || p + comp > end) {
            return null;
        }
        p += comp;
        if (p == end) {
            return ch; // no extensions (allowed before TLS 1.3)
        }
        if (p + 2 > end) {
            return null;
        }
        int extLen = u16(b, p);
        p += 2;
        if (p + extLen > end) {
            return null;
        }
        int extEnd = p + extLen;
        int[] types = new int[Math.min(extLen / 4, 512)];
        int n = 0;
        while (p < extEnd) {
            if (p + 4 > extEnd) {
                return null;
            }
            int type = u16(b, p);
            int l = u16(b, p + 2);
            p += 4;
            if (p + l > extEnd) {
                return null;
            }
            if (n < types.length) {
                types[n++] = type;
            }
            if (!ch.extension(type, b, p, l)) {
                return null;
            }
            p += l;
        }
        ch.extensions = java.util.Arrays.copyOf(types, n);
        return ch;
    }

    static boolean plausibleVersion(int v) {
        return (v >= 0x0300 && v <= 0x0304) || v == 0xfeff || v == 0xfefd || v == 0xfefc || v == 0x0002 || v == 0x0100;
    }

    private boolean extension(int type, byte[] b, int p, int l) {
        int end = p + l;
        switch (type) {
            case EXT_SERVER_NAME -> {
                hasSniExtension = true;
                if (l == 0) {
                    return true; // empty in a ServerHello-style echo; tolerated
                }
                if (l < 2) {
                    return false;
                }
                int listLen = u16(b, p);
                int q = p + 2;
                if (q + listLen > end) {
                    return false;
                }
                int listEnd = q + listLen;
                while (q + 3 <= listEnd) {
                    int nameType = b[q] & 0xFF;
                    int nl = u16(b, q + 1);
                    q += 3;
                    if (q + nl > listEnd) {
                        return false;
                    }
                    if (nameType == 0 && sni == null && nl > 0) {
                        sni = ascii(b, q, Math.min(nl, MAX_NAME));
                    }
                    q += nl;
                }
            }
            case EXT_ALPN -> {
                if (l < 2) {
                    return false;
                }
                int listLen = u16(b, p);
                int q = p + 2;
                if (q + listLen > end) {
                    return false;
                }
                int listEnd = q + listLen;
                while (q < listEnd) {
                    int nl = b[q++] & 0xFF;
                    if (q + nl > listEnd) {
                        return false;
                    }
                    if (firstAlpn == null) {
                        firstAlpn = java.util.Arrays.copyOfRange(b, q, q + nl);
                    }
                    if (alpn.size() < MAX_ALPN) {
                        alpn.add(ascii(b, q, nl));
                    }
                    q += nl;
                }
            }
            case EXT_SUPPORTED_VERSIONS -> {
                int[] list = prefixedU16List(b, p, l, 1);
                if (list == null) {
                    return false;
                }
                supportedVersions = list;
            }
            case EXT_SUPPORTED_GROUPS -> {
                int[] list = prefixedU16List(b, p, l, 2);
                if (list == null) {
                    return false;
                }
                groups = list;
            }
            case EXT_SIGNATURE_ALGORITHMS -> {
                int[] list = prefixedU16List(b, p, l, 2);
                if (list == null) {
                    return false;
                }
                signatureAlgorithms = list;
            }
            case EXT_EC_POINT_FORMATS -> {
                if (l < 1) {
                    return false;
                }
                int listLen = b[p] & 0xFF;
                if (1 + listLen > l) {
                    return false;
                }
                int[] f = new int[listLen];
                for (int i = 0; i < listLen; i++) {
                    f[i] = b[p + 1 + i] & 0xFF;
                }
                pointFormats = f;
            }
            case EXT_ECH -> ech = true;
            default -> { }
        }
        return true;
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    /**
     * A list of 16-bit values behind a length of {@code prefix} bytes (1 or 2), in an extension of
     * {@code l} bytes at {@code p}; null when the length does not fit or is odd.
     */
    static int[] prefixedU16List(byte[] b, int p, int l, int prefix) {
        if (l < prefix) {
            return null;
        }
        int listLen = prefix == 1 ? b[p] & 0xFF : u16(b, p);
        if (prefix + listLen > l || (listLen & 1) != 0) {
            return null;
        }
        return u16List(b, p + prefix, listLen);
    }

    static int[] u16List(byte[] b, int p, int bytes) {
        int[] out = new int[bytes / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = u16(b, p + 2 * i);
        }
        return out;
    }

    /** Printable ASCII text of a name; other bytes become '?' (never raw payload in metadata). */
    static String ascii(byte[] b, int p, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            int x = b[p + i] & 0xFF;
            c[i] = x >= 0x20 && x < 0x7F ? (char) x : '?';
        }
        return new String(c);
    }
}
