package org.fathom.protocol.quic;

import org.fathom.protocol.FlowContext;

/**
 * Google QUIC's client hello ("CHLO", QUIC Crypto handshake): a tag-value map, the tag
 * {@code CHLO}, a little-endian entry count, two bytes of padding, then (tag, end offset) pairs
 * and the values. {@code SNI} gives the server name, {@code UAID} the user agent.
 */
final class Chlo {
    private static final int MAX_ENTRIES = 64;

    private Chlo() {}

    /** Looks for a CHLO message in the cleartext frames of an unencrypted gQUIC packet. */
    static boolean scan(FlowContext ctx, byte[] b, int off, int len) {
        int end = off + len - 4;
        for (int i = off; i < end; i++) {
            if (b[i] == 'C' && b[i + 1] == 'H' && b[i + 2] == 'L' && b[i + 3] == 'O') {
                return parse(ctx, b, i, off + len - i);
            }
        }
        return false;
    }

    /** Parses a CHLO starting at {@code off}; true when it was whole and read. */
    static boolean parse(FlowContext ctx, byte[] b, int off, int len) {
        int end = off + len;
        if (len < 8 || b[off] != 'C' || b[off + 1] != 'H' || b[off + 2] != 'L' || b[off + 3] != 'O') {
            return false;
        }
        int n = (b[off + 4] & 0xFF) | ((b[off + 5] & 0xFF) << 8);
        if (n > MAX_ENTRIES) {
            return false;
        }
        int table = off + 8;
        int values = table + 8 * n;
        if (values > end) {
            return false;
        }
        int prev = 0;
        String sni = null;
        String ua = null;
        for (int i = 0; i < n; i++) {
            int e = table + 8 * i;
            int tag = QuicDissector.u32(b, e);
            long endOff = (b[e + 4] & 0xFFL) | ((b[e + 5] & 0xFFL) << 8) | ((b[e + 6] & 0xFFL) << 16) | ((b[e + 7] & 0xFFL) << 24);
            if (endOff < prev || values + endOff > end) {
                return false;
            }
            int vs = values + prev;
            int vl = (int) endOff - prev;
            if (tag == 0x534E4900) { // "SNI\0"
                sni = ascii(b, vs, Math.min(vl, 255));
            } else if (tag == 0x55414944) { // "UAID"
                ua = ascii(b, vs, Math.min(vl, 200));
            }
            prev = (int) endOff;
        }
        if (sni != null && !sni.isEmpty()) {
            ctx.put(org.fathom.protocol.tls.Registration.TLS_SNI.key(), sni);
            ctx.setHost(sni, false);
        }
        if (ua != null && !ua.isEmpty()) {
            ctx.put(Registration.QUIC_USER_AGENT.key(), ua);
        }
        return true;
    }

    private static String ascii(byte[] b, int p, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            int x = b[p + i] & 0xFF;
            c[i] = x >= 0x20 && x < 0x7F ? (char) x : '?';
        }
        return new String(c);
    }
}
