package org.fathom.privacy;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Prefix-preserving address pseudonymisation after Crypto-PAn (Xu, Fan, Ammar, Moon 2002): two
 * addresses sharing a k-bit prefix get pseudonyms sharing a k-bit prefix, and nothing else is
 * revealed without the key. IPv4 uses 32 rounds, IPv6 128 (the same construction over the longer
 * address). Each bit of the one-time pad is the top bit of AES-128 over the address's own prefix
 * padded with a secret pad.
 */
final class CryptoPan {
    private final Cipher aes;
    private final byte[] pad = new byte[16];
    private final byte[] block = new byte[16];
    private final byte[] out = new byte[16];

    /** @param key 32 bytes: the AES key, then the secret from which the pad is made */
    CryptoPan(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("Crypto-PAn key must be 32 bytes");
        }
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 16, "AES"));
            aes.doFinal(key, 16, 16, pad, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable", e);
        }
    }

    /** Pseudonym of an IPv4 address (32 bits in the low half of {@code v}). */
    int anonymize4(int addr) {
        long otp = pad(((long) addr) << 32, 0, 32);
        return addr ^ (int) (otp >>> 32);
    }

    /** Pseudonym of an IPv6 address; returns {hi, lo}. */
    long[] anonymize6(long hi, long lo) {
        long otpHi = pad(hi, 0, 64);
        long otpLo = padLow(hi, lo);
        return new long[] {hi ^ otpHi, lo ^ otpLo};
    }

    /** One-time pad bits 0..n-1 for an address whose first 64 bits are {@code hi} (left-aligned). */
    private long pad(long hi, long lo, int n) {
        long otp = 0;
        for (int i = 0; i < n; i++) {
            if (bit(hi, lo, i)) {
                otp |= 1L << (63 - i);
            }
        }
        return otp;
    }

    private long padLow(long hi, long lo) {
        long otp = 0;
        for (int i = 64; i < 128; i++) {
            if (bit(hi, lo, i)) {
                otp |= 1L << (127 - i);
            }
        }
        return otp;
    }

    /** The pad bit for position {@code i}: top bit of AES(first i address bits, then pad bits). */
    private boolean bit(long hi, long lo, int i) {
        for (int k = 0; k < 16; k++) {
            long word = k < 8 ? hi : lo;
            int shift = 56 - 8 * (k & 7);
            int abyte = (int) (word >>> shift) & 0xFF;
            int start = k * 8; // bit index of this byte's msb
            int keep; // how many leading bits of this byte come from the address
            if (i >= start + 8) {
                keep = 8;
            } else if (i <= start) {
                keep = 0;
            } else {
                keep = i - start;
            }
            int m = keep == 0 ? 0 : (0xFF << (8 - keep)) & 0xFF;
            block[k] = (byte) ((abyte & m) | (pad[k] & ~m & 0xFF));
        }
        try {
            aes.doFinal(block, 0, 16, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return (out[0] & 0x80) != 0;
    }
}
