package org.fathom.protocol.tls;

/**
 * A parsed ServerHello body (RFC 8446 section 4.1.3, RFC 5246 section 7.4.1.3; DTLS has the same
 * layout). The negotiated version is the supported_versions selection when present (TLS 1.3),
 * else the legacy version. A HelloRetryRequest (TLS 1.3) is a ServerHello with a fixed random.
 */
public final class ServerHello {
    private static final byte[] HRR_RANDOM = {
        (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11, (byte) 0xBE, 0x1D, (byte) 0x8C, 0x02,
        0x1E, 0x65, (byte) 0xB8, (byte) 0x91, (byte) 0xC2, (byte) 0xA2, 0x11, 0x16, 0x7A, (byte) 0xBB, (byte) 0x8C, 0x5E,
        0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8, 0x33, (byte) 0x9C};

    public int legacyVersion;
    public int cipher;
    public int[] extensions = new int[0];
    /** The version chosen in supported_versions, or -1. */
    public int selectedVersion = -1;
    /** The protocol chosen by ALPN, or null. */
    public String alpn;
    public boolean helloRetryRequest;

    private ServerHello() {}

    /** The version in use on the connection. */
    public int version() {
        return selectedVersion >= 0 ? selectedVersion : legacyVersion;
    }

    public static ServerHello parse(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < 0 || off + len > b.length) {
            return null;
        }
        int end = off + len;
        int p = off;
        if (len < 2 + 32 + 1) {
            return null;
        }
        ServerHello sh = new ServerHello();
        sh.legacyVersion = ClientHello.u16(b, p);
        if (!ClientHello.plausibleVersion(sh.legacyVersion)) {
            return null;
        }
        sh.helloRetryRequest = java.util.Arrays.equals(b, p + 2, p + 34, HRR_RANDOM, 0, 32);
        p += 34;
        int sid = b[p++] & 0xFF;
        if (sid > 32 || p + sid + 3 > end) {
            return null;
        }
        p += sid;
        sh.cipher = ClientHello.u16(b, p);
        p += 3; // cipher suite, compression method
        if (p == end) {
            return sh;
        }
        if (p + 2 > end) {
            return null;
        }
        int extLen = ClientHello.u16(b, p);
        p += 2;
        if (p + extLen > end) {
            return null;
        }
        int extEnd = p + extLen;
        int[] types = new int[Math.min(extLen / 4, 256)];
        int n = 0;
        while (p < extEnd) {
            if (p + 4 > extEnd) {
                return null;
            }
            int type = ClientHello.u16(b, p);
            int l = ClientHello.u16(b, p + 2);
            p += 4;
            if (p + l > extEnd) {
                return null;
            }
            if (n < types.length) {
                types[n++] = type;
            }
            if (type == ClientHello.EXT_SUPPORTED_VERSIONS && l == 2) {
                sh.selectedVersion = ClientHello.u16(b, p);
            } else if (type == ClientHello.EXT_ALPN && l >= 3) {
                int nl = b[p + 2] & 0xFF;
                if (3 + nl <= l) {
                    sh.alpn = ClientHello.ascii(b, p + 3, nl);
                }
            }
            p += l;
        }
        sh.extensions = java.util.Arrays.copyOf(types, n);
        return sh;
    }
}
