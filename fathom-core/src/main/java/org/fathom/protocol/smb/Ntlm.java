package org.fathom.protocol.smb;

import java.nio.charset.StandardCharsets;

/**
 * NTLMSSP messages ([MS-NLMP] 2.2.1): the signature {@code NTLMSSP\0}, a 32-bit message type (1
 * NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE). Of an AUTHENTICATE message, the user name, domain and
 * workstation (each a length/offset field into the payload, UTF-16LE when the negotiate flags say
 * Unicode, else OEM read as ISO-8859-1). Nothing else (responses, session keys) is read. Found
 * inside SMB2 SESSION_SETUP security buffers and HTTP {@code Authorization: NTLM}/{@code Negotiate}
 * headers, usually wrapped in SPNEGO: {@link #find} looks for the signature. Never throws.
 */
public final class Ntlm {
    private Ntlm() {}

    static final byte[] SIGNATURE = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
    /** Longest name kept (characters). */
    static final int MAX_NAME = 256;

    /** The names of an AUTHENTICATE message (any may be null or empty). */
    public record Authenticate(String user, String domain, String workstation) {
    }

    /** The offset of the first NTLMSSP signature in {@code b[off..off+len)}, or -1. */
    public static int find(byte[] b, int off, int len) {
        int end = off + len - SIGNATURE.length;
        outer:
        for (int i = off; i <= end; i++) {
            if (b[i] != 'N') {
                continue;
            }
            for (int k = 1; k < SIGNATURE.length; k++) {
                if (b[i + k] != SIGNATURE[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The message type at {@code b[p]} (a signature), or -1. */
    public static int type(byte[] b, int p, int end) {
        if (p < 0 || end - p < 12) {
            return -1;
        }
        return (int) le32(b, p + 8);
    }

    /** The AUTHENTICATE message starting at {@code b[p]} (its signature), or null. */
    public static Authenticate authenticate(byte[] b, int p, int end) {
        if (type(b, p, end) != 3 || end - p < 64) {
            return null;
        }
        long flags = le32(b, p + 60);
        boolean unicode = (flags & 1) != 0;
        String domain = field(b, p, end, 28, unicode);
        String user = field(b, p, end, 36, unicode);
        String workstation = field(b, p, end, 44, unicode);
        return new Authenticate(user, domain, workstation);
    }

    /** A length/offset field at {@code p + at} ({@code Len, MaxLen, BufferOffset}) read as text. */
    private static String field(byte[] b, int p, int end, int at, boolean unicode) {
        int len = le16(b, p + at);
        long offset = le32(b, p + at + 4);
        if (len == 0) {
            return null;
        }
        if (offset < 0 || offset + len > end - p) {
            return null;
        }
        int from = p + (int) offset;
        int n = Math.min(len, unicode ? 2 * MAX_NAME : MAX_NAME);
        String s = unicode ? new String(b, from, n & ~1, StandardCharsets.UTF_16LE) : new String(b, from, n, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return null;
            }
        }
        return s;
    }

    static int le16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    static long le32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
