package org.fathom.protocol.quic;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of QUIC Initial packets (RFC 9001 section 5, RFC 9369 section 3.3): initial
 * secrets by HKDF-SHA256 from the version's salt and the client's Destination Connection ID,
 * header protection with AES-128 in ECB mode, payload protection with AES-128-GCM.
 *
 * <p>One instance per worker thread ({@link #get}): the JCA objects are made once and re-keyed
 * per packet; a scratch buffer holds the copy of a packet being decrypted, so the capture's own
 * bytes are never changed.
 */
final class QuicCrypto {
    private static final ThreadLocal<QuicCrypto> PER_THREAD = ThreadLocal.withInitial(QuicCrypto::new);

    private final Mac hmac;
    private final Cipher ecb;
    private final Cipher gcm;
    final byte[] scratch = new byte[65_536];
    final byte[] plain = new byte[65_536];
    private final byte[] mask = new byte[16];

    /** Keys of one direction of one connection's Initial packets. */
    record Keys(byte[] key, byte[] iv, byte[] hp, SecretKeySpec keySpec, SecretKeySpec hpSpec) {
        Keys(byte[] key, byte[] iv, byte[] hp) {
            this(key, iv, hp, new SecretKeySpec(key, "AES"), new SecretKeySpec(hp, "AES"));
        }
    }

    private QuicCrypto() {
        try {
            hmac = Mac.getInstance("HmacSHA256");
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM and HmacSHA256 are required of every Java platform", e);
        }
    }

    static QuicCrypto get() {
        return PER_THREAD.get();
    }

    /** Initial keys for {@code version} from the client's first Destination Connection ID. */
    Keys initialKeys(int version, byte[] salt, byte[] dcid, int dcidOff, int dcidLen, boolean server) {
        byte[] initial = extract(salt, dcid, dcidOff, dcidLen);
        byte[] secret = expandLabel(initial, server ? "server in" : "client in", 32);
        boolean v2 = QuicVersion.isV2(version);
        return new Keys(expandLabel(secret, v2 ? "quicv2 key" : "quic key", 16),
                expandLabel(secret, v2 ? "quicv2 iv" : "quic iv", 12),
                expandLabel(secret, v2 ? "quicv2 hp" : "quic hp", 16));
    }

    byte[] extract(byte[] salt, byte[] ikm, int off, int len) {
        try {
            hmac.init(new SecretKeySpec(salt, "HmacSHA256"));
            hmac.update(ikm, off, len);
            return hmac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HKDF-Expand-Label (RFC 8446 section 7.1) with an empty context, for lengths up to 32. */
    byte[] expandLabel(byte[] secret, String label, int length) {
        byte[] l = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[2 + 1 + l.length + 1 + 1];
        info[0] = (byte) (length >>> 8);
        info[1] = (byte) length;
        info[2] = (byte) l.length;
        System.arraycopy(l, 0, info, 3, l.length);
        info[3 + l.length] = 0; // context length
        info[4 + l.length] = 1; // HKDF-Expand counter T(1)
        try {
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] t = hmac.doFinal(info);
            return java.util.Arrays.copyOf(t, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Removes header protection and decrypts a long-header packet copied into {@link #scratch}.
     *
     * @param pnOffset offset of the packet number in scratch
     * @param end      end of the packet (pnOffset plus the Length field) in scratch
     * @return plaintext length in {@link #plain}, or -1 when the packet does not decrypt
     */
    int open(Keys k, int pnOffset, int end) {
        byte[] p = scratch;
        if (pnOffset + 4 + 16 > end) {
            return -1;
        }
        try {
            ecb.init(Cipher.ENCRYPT_MODE, k.hpSpec());
            ecb.doFinal(p, pnOffset + 4, 16, mask, 0);
        } catch (GeneralSecurityException e) {
            return -1;
        }
        p[0] ^= (byte) (mask[0] & 0x0f);
        int pnLen = (p[0] & 3) + 1;
        long pn = 0;
        for (int i = 0; i < pnLen; i++) {
            p[pnOffset + i] ^= mask[1 + i];
            pn = (pn << 8) | (p[pnOffset + i] & 0xFF);
        }
        int payload = pnOffset + pnLen;
        int ctLen = end - payload;
        if (ctLen < 16) {
            return -1;
        }
        byte[] nonce = k.iv().clone();
        for (int i = 0; i < 8; i++) {
            nonce[nonce.length - 1 - i] ^= (byte) (pn >>> (8 * i));
        }
        try {
            gcm.init(Cipher.DECRYPT_MODE, k.keySpec(), new GCMParameterSpec(128, nonce));
            gcm.updateAAD(p, 0, payload);
            return gcm.doFinal(p, payload, ctLen, plain, 0);
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            return -1;
        }
    }
}
