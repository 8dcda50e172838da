package org.fathom.protocol.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Reads SSH_MSG_KEXINIT (RFC 4253 section 7.1) from the first binary packet of a side and computes
 * the HASSH fingerprints (Salesforce HASSH: the MD5 of {@code kex;encryption;mac;compression} in
 * the sender's direction: client-to-server lists for the client, server-to-client for the server).
 * Never throws: an invalid packet gives null.
 */
public final class SshKexInit {
    static final int SSH_MSG_KEXINIT = 20;
    static final int MAX_NAME_LIST = 4096;

    private SshKexInit() {}

    /**
     * The HASSH algorithm string of the KEXINIT packet {@code b[off..off+len)} (packet_length field
     * included), or null when it is not a well-formed KEXINIT.
     */
    public static String algorithms(byte[] b, int off, int len, boolean client) {
        if (len < 6 + 16 + 10 * 4) {
            return null;
        }
        long plen = be32(b, off);
        int pad = b[off + 4] & 0xFF;
        if (plen + 4 != len || pad < 4 || pad >= plen || (b[off + 5] & 0xFF) != SSH_MSG_KEXINIT) {
            return null;
        }
        int end = off + 4 + (int) plen - pad;
        int p = off + 6 + 16;
        String[] lists = new String[10];
        for (int i = 0; i < 10; i++) {
            if (p + 4 > end) {
                return null;
            }
            long n = be32(b, p);
            p += 4;
            if (n > MAX_NAME_LIST || p + n > end) {
                return null;
            }
            for (int k = p; k < p + n; k++) {
                int c = b[k] & 0xFF;
                if (c < 0x21 || c > 0x7E) {
                    return null; // name-lists are US-ASCII names separated by commas
                }
            }
            lists[i] = new String(b, p, (int) n, StandardCharsets.US_ASCII);
            p += (int) n;
        }
        if (p + 5 > end) {
            return null; // first_kex_packet_follows and reserved
        }
        int d = client ? 0 : 1;
        return lists[0] + ";" + lists[2 + d] + ";" + lists[4 + d] + ";" + lists[6 + d];
    }

    /** Lower-case hex MD5 of the algorithm string. */
    public static String md5(String algorithms) {
        try {
            byte[] h = MessageDigest.getInstance("MD5").digest(algorithms.getBytes(StandardCharsets.US_ASCII));
            StringBuilder sb = new StringBuilder(32);
            for (byte x : h) {
                sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }

    static long be32(byte[] b, int q) {
        return (((b[q] & 0xFF) << 24) | ((b[q + 1] & 0xFF) << 16) | ((b[q + 2] & 0xFF) << 8) | (b[q + 3] & 0xFF)) & 0xFFFF_FFFFL;
    }
}
