package org.fathom.protocol.tls;

/**
 * Cipher suite names (IANA "TLS Cipher Suites" registry) for the suites seen in practice, and the
 * weak ones: no encryption (NULL), export grade, RC4, single or triple DES, or no authentication
 * (anon).
 */
public final class CipherSuites {
    private CipherSuites() {}

    /** IANA name, or {@code 0x} and four hex digits for a suite not in the table. */
    public static String name(int suite) {
        String n = known(suite);
        return n != null ? n : String.format("0x%04x", suite & 0xFFFF);
    }

    public static boolean weak(int suite) {
        String n = known(suite);
        return n != null && (n.contains("NULL") || n.contains("EXPORT") || n.contains("RC4") || n.contains("DES")
                || n.contains("anon"));
    }

    static String known(int suite) {
        return switch (suite) {
            case 0x0000 -> "TLS_NULL_WITH_NULL_NULL";
            case 0x0001 -> "TLS_RSA_WITH_NULL_MD5";
            case 0x0002 -> "TLS_RSA_WITH_NULL_SHA";
            case 0x0003 -> "TLS_RSA_EXPORT_WITH_RC4_40_MD5";
            case 0x0004 -> "TLS_RSA_WITH_RC4_128_MD5";
            case 0x0005 -> "TLS_RSA_WITH_RC4_128_SHA";
            case 0x0006 -> "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5";
            case 0x0007 -> "TLS_RSA_WITH_IDEA_CBC_SHA";
            case 0x0008 -> "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA";
            case 0x0009 -> "TLS_RSA_WITH_DES_CBC_SHA";
            case 0x000A -> "TLS_RSA_WITH_3DES_EDE_CBC_SHA";
            case 0x000B -> "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA";
            case 0x000C -> "TLS_DH_DSS_WITH_DES_CBC_SHA";
            case 0x000D -> "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA";
            case 0x000E -> "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA";
            case 0x000F -> "TLS_DH_RSA_WITH_DES_CBC_SHA";
            case 0x0010 -> "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA";
            case 0x0011 -> "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA";
            case 0x0012 -> "TLS_DHE_DSS_WITH_DES_CBC_SHA";
            case 0x0013 -> "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA";
            case 0x0014 -> "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA";
            case 0x0015 -> "TLS_DHE_RSA_WITH_DES_CBC_SHA";
            case 0x0016 -> "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA";
            case 0x0017 -> "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5";
            case 0x0018 -> "TLS_DH_anon_WITH_RC4_128_MD5";
            case 0x0019 -> "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA";
            case 0x001A -> "TLS_DH_anon_WITH_DES_CBC_SHA";
            case 0x001B -> "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA";
            case 0x002F -> "TLS_RSA_WITH_AES_128_CBC_SHA";
            case 0x0030 -> "TLS_DH_DSS_WITH_AES_128_CBC_SHA";
            case 0x0031 -> "TLS_DH_RSA_WITH_AES_128_CBC_SHA";
            case 0x0032 -> "TLS_DHE_DSS_WITH_AES_128_CBC_SHA";
            case 0x0033 -> "TLS_DHE_RSA_WITH_AES_128_CBC_SHA";
            case 0x0034 -> "TLS_DH_anon_WITH_AES_128_CBC_SHA";
            case 0x0035 -> "TLS_RSA_WITH_AES_256_CBC_SHA";
            case 0x0036 -> "TLS_DH_DSS_WITH_AES_256_CBC_SHA";
            case 0x0037 -> "TLS_DH_RSA_WITH_AES_256_CBC_SHA";
            case 0x0038 -> "TLS_DHE_DSS_WITH_AES_256_CBC_SHA";
            case 0x0039 -> "TLS_DHE_RSA_WITH_AES_256_CBC_SHA";
            case 0x003A -> "TLS_DH_anon_WITH_AES_256_CBC_SHA";
            case 0x003B -> "TLS_RSA_WITH_NULL_SHA256";
            case 0x003C -> "TLS_RSA_WITH_AES_128_CBC_SHA256";
            case 0x003D -> "TLS_RSA_WITH_AES_256_CBC_SHA256";
            case 0x0040 -> "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256";
            case 0x0041 -> "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA";
            case 0x0045 -> "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA";
            case 0x0067 -> "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256";
            case 0x006A -> "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256";
            case 0x006B -> "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256";
            case 0x006C -> "TLS_DH_anon_WITH_AES_128_CBC_SHA256";
            case 0x006D -> "TLS_DH_anon_WITH_AES_256_CBC_SHA256";
            case 0x0084 -> "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA";
            case 0x0088 -> "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA";
            case 0x008A -> "TLS_PSK_WITH_RC4_128_SHA";
            case 0x008B -> "TLS_PSK_WITH_3DES_EDE_CBC_SHA";
            case 0x008C -> "TLS_PSK_WITH_AES_128_CBC_SHA";
            case 0x008D -> "TLS_PSK_WITH_AES_256_CBC_SHA";
            case 0x0096 -> "TLS_RSA_WITH_SEED_CBC_SHA";
            case 0x009C -> "TLS_RSA_WITH_AES_128_GCM_SHA256";
            case 0x009D -> "TLS_RSA_WITH_AES_256_GCM_SHA384";
            case 0x009E -> "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256";
            case 0x009F -> "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384";
            case 0x00A2 -> "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256";
            case 0x00A3 -> "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384";
            case 0x00A6 -> "TLS_DH_anon_WITH_AES_128_GCM_SHA256";
            case 0x00A7 -> "TLS_DH_anon_WITH_AES_256_GCM_SHA384";
            case 0x00A8 -> "TLS_PSK_WITH_AES_128_GCM_SHA256";
            case 0x00A9 -> "TLS_PSK_WITH_AES_256_GCM_SHA384";
            case 0x00FF -> "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
            case 0x5600 -> "TLS_FALLBACK_SCSV";
            case 0x1301 -> "TLS_AES_128_GCM_SHA256";
            case 0x1302 -> "TLS_AES_256_GCM_SHA384";
            case 0x1303 -> "TLS_CHACHA20_POLY1305_SHA256";
            case 0x1304 -> "TLS_AES_128_CCM_SHA256";
            case 0x1305 -> "TLS_AES_128_CCM_8_SHA256";
            case 0xC001 -> "TLS_ECDH_ECDSA_WITH_NULL_SHA";
            case 0xC002 -> "TLS_ECDH_ECDSA_WITH_RC4_128_SHA";
            case 0xC003 -> "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA";
            case 0xC004 -> "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA";
            case 0xC005 -> "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA";
            case 0xC006 -> "TLS_ECDHE_ECDSA_WITH_NULL_SHA";
            case 0xC007 -> "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA";
            case 0xC008 -> "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA";
            case 0xC009 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA";
            case 0xC00A -> "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA";
            case 0xC00B -> "TLS_ECDH_RSA_WITH_NULL_SHA";
            case 0xC00C -> "TLS_ECDH_RSA_WITH_RC4_128_SHA";
            case 0xC00D -> "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA";
            case 0xC00E -> "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA";
            case 0xC00F -> "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA";
            case 0xC010 -> "TLS_ECDHE_RSA_WITH_NULL_SHA";
            case 0xC011 -> "TLS_ECDHE_RSA_WITH_RC4_128_SHA";
            case 0xC012 -> "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA";
            case 0xC013 -> "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";
            case 0xC014 -> "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA";
            case 0xC015 -> "TLS_ECDH_anon_WITH_NULL_SHA";
            case 0xC016 -> "TLS_ECDH_anon_WITH_RC4_128_SHA";
            case 0xC017 -> "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA";
            case 0xC018 -> "TLS_ECDH_anon_WITH_AES_128_CBC_SHA";
            case 0xC019 -> "TLS_ECDH_anon_WITH_AES_256_CBC_SHA";
            case 0xC023 -> "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";
            case 0xC024 -> "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384";
            case 0xC025 -> "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256";
            case 0xC026 -> "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384";
            case 0xC027 -> "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256";
            case 0xC028 -> "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384";
            case 0xC029 -> "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256";
            case 0xC02A -> "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384";
            case 0xC02B -> "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
            case 0xC02C -> "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
            case 0xC02D -> "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256";
            case 0xC02E -> "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384";
            case 0xC02F -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
            case 0xC030 -> "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
            case 0xC031 -> "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256";
            case 0xC032 -> "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384";
            case 0xC035 -> "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA";
            case 0xC036 -> "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA";
            case 0xC09C -> "TLS_RSA_WITH_AES_128_CCM";
            case 0xC09D -> "TLS_RSA_WITH_AES_256_CCM";
            case 0xC0AC -> "TLS_ECDHE_ECDSA_WITH_AES_128_CCM";
            case 0xC0AD -> "TLS_ECDHE_ECDSA_WITH_AES_256_CCM";
            case 0xCCA8 -> "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xCCA9 -> "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xCCAA -> "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
            case 0xCCAB -> "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256";
            case 0xCCAC -> "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256";
            default -> null;
        };
    }
}
