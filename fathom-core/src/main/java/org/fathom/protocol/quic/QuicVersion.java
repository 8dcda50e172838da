package org.fathom.protocol.quic;

/**
 * QUIC versions this dissector knows: IETF QUIC v1 (RFC 9000) and v2 (RFC 9369), the IETF
 * drafts, Facebook's mvfst versions and Google's QUIC (gQUIC Q0xx with its own crypto handshake;
 * T05x with TLS). For the versions whose Initial packets are protected with keys derived from
 * the Destination Connection ID (RFC 9001 section 5.2), {@link #salt} gives the version's salt.
 */
final class QuicVersion {
    static final int V1 = 0x00000001;
    static final int V2 = 0x6b3343cf;
    static final int MVFST_22 = 0xfaceb001;
    static final int MVFST_27 = 0xfaceb002;
    static final int MVFST_EXP = 0xfaceb00e;
    static final int Q046 = 0x51303436;
    static final int Q050 = 0x51303530;
    static final int T050 = 0x54303530;
    static final int T051 = 0x54303531;

    private static final byte[] SALT_V1 = hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
    private static final byte[] SALT_V2 = hex("0dede3def700a6db819381be6e269dcbf9bd2ed9");
    private static final byte[] SALT_D29 = hex("afbfec289993d24c9e9786f19c6111e04390a899");
    private static final byte[] SALT_D23 = hex("c3eef712c72ebb5a11a7d2432bb46365bef9f502");
    private static final byte[] SALT_D22 = hex("7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a");
    private static final byte[] SALT_Q50 = hex("504574efd066fe2f9d945cfcdbd3a7f0d3b56b45");
    private static final byte[] SALT_T50 = hex("7ff579e5acd072915580304c43a2367c60488310");
    private static final byte[] SALT_T51 = hex("7a4edef4e7ccee5fa4506c19124fc8ccda6e033d");

    private QuicVersion() {}

    /** IETF draft number of a 0xff0000XX version, else -1. */
    static int draft(int v) {
        return (v & 0xFFFFFF00) == 0xff000000 ? v & 0xFF : -1;
    }

    /** Google QUIC: ASCII 'Q' or 'T' then three digits. */
    static boolean google(int v) {
        int c = v >>> 24;
        return (c == 'Q' || c == 'T') && digit(v >>> 16) && digit(v >>> 8) && digit(v);
    }

    private static boolean digit(int c) {
        c &= 0xFF;
        return c >= '0' && c <= '9';
    }

    /** Versions reserved to force version negotiation (RFC 9000 section 15): 0x?a?a?a?a. */
    static boolean reserved(int v) {
        return (v & 0x0f0f0f0f) == 0x0a0a0a0a;
    }

    /** A version this dissector recognises (including the reserved ones). */
    static boolean known(int v) {
        int d = draft(v);
        return v == V1 || v == V2 || (d >= 17 && d <= 34) || v == MVFST_22 || v == MVFST_27 || v == MVFST_EXP
                || google(v) || reserved(v);
    }

    /** Initial-packet salt, or null when Initial packets are not protected that way. */
    static byte[] salt(int v) {
        if (v == V1) {
            return SALT_V1;
        }
        if (v == V2) {
            return SALT_V2;
        }
        if (v == Q050) {
            return SALT_Q50;
        }
        if (v == T050) {
            return SALT_T50;
        }
        if (v == T051) {
            return SALT_T51;
        }
        if (v == MVFST_22) {
            return SALT_D22;
        }
        if (v == MVFST_27 || v == MVFST_EXP) {
            return SALT_D23;
        }
        int d = draft(v);
        if (d >= 33) {
            return SALT_V1;
        }
        if (d >= 29) {
            return SALT_D29;
        }
        if (d >= 23) {
            return SALT_D23;
        }
        if (d >= 17) {
            return SALT_D22;
        }
        return null;
    }

    /** Whether the version uses the v2 key labels and packet type numbers. */
    static boolean isV2(int v) {
        return v == V2;
    }

    /** Whether the CRYPTO stream carries a TLS handshake (else gQUIC's CHLO). */
    static boolean tlsHandshake(int v) {
        return v != Q050;
    }

    /** Frame type of CRYPTO frames: 0x06, but 0x08 in Google's Q050 and T05x. */
    static int cryptoFrameType(int v) {
        return v == Q050 || v == T050 || v == T051 ? 0x08 : 0x06;
    }

    /** Long-header packet type of an Initial packet. */
    static int initialType(int v) {
        return isV2(v) ? 1 : 0;
    }

    /** nDPI's spelling of a version: V-1, V-2, Draft-29, Q046, T051, MVFST-22, Ver-Negotiation. */
    static String name(int v) {
        if (v == V1) {
            return "V-1";
        }
        if (v == V2) {
            return "V-2";
        }
        if (draft(v) >= 0) {
            return "Draft-" + draft(v);
        }
        if (google(v)) {
            return new String(new char[] {(char) (v >>> 24), (char) ((v >>> 16) & 0xFF), (char) ((v >>> 8) & 0xFF), (char) (v & 0xFF)});
        }
        if (v == MVFST_22) {
            return "MVFST-22";
        }
        if (v == MVFST_27) {
            return "MVFST-27";
        }
        if (v == MVFST_EXP) {
            return "MVFST-EXP";
        }
        if (v == 0 || reserved(v)) {
            return "Ver-Negotiation";
        }
        return String.format("0x%08x", v);
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
