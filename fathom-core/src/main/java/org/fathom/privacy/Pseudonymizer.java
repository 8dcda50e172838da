package org.fathom.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms that rotate: the key of an epoch (a period of capture time, daily by default)
 * is HMAC-SHA256(master key, epoch start), so pseudonyms are stable within an epoch, unlinkable
 * across epochs, and cannot be reversed or recomputed without the master key.
 *
 * <p>Addresses get prefix-preserving {@link CryptoPan} pseudonyms; other identifiers (SIP and
 * e-mail user parts, phone numbers, call ids) get short keyed tokens. Results are cached (bounded)
 * because the same subscribers recur in many records.
 */
final class Pseudonymizer {
    private static final int CACHE = 1 << 18;

    private final byte[] master;
    private final long periodNanos;
    private long cachedEpoch = Long.MIN_VALUE;
    private CryptoPan pan;
    private Mac tokenMac;
    private final Map<AddressKey, long[]> addresses = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AddressKey, long[]> e) {
            return size() > CACHE;
        }
    };

    private record AddressKey(long epoch, long hi, long lo) {
        // explicit equals/hashCode: the generated ones go through method handles, slow under C1
        @Override
        public boolean equals(Object o) {
            return o instanceof AddressKey k && k.hi == hi && k.lo == lo && k.epoch == epoch;
        }

        @Override
        public int hashCode() {
            return Long.hashCode((hi * 0x9E3779B97F4A7C15L ^ lo) * 31 + epoch);
        }
    }

    Pseudonymizer(byte[] masterKey, Duration period) {
        this.master = masterKey.clone();
        this.periodNanos = period.toNanos();
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("key rotation period must be positive");
        }
    }

    /** Epoch index of a capture time. */
    long epoch(long tsNanos) {
        return Math.floorDiv(tsNanos, periodNanos);
    }

    /** Public label of an epoch: its start, e.g. {@code 2024-05-22T00:00:00Z}. */
    String epochLabel(long epoch) {
        if (epoch != labelEpoch || label == null) {   // one epoch covers a day of records: format it once
            label = Instant.ofEpochSecond(0, 0).plusNanos(Math.multiplyExact(epoch, periodNanos)).toString();
            labelEpoch = epoch;
        }
        return label;
    }

    private long labelEpoch;
    private String label;

    private void select(long epoch) {
        if (epoch == cachedEpoch) {
            return;
        }
        try {
            Mac h = Mac.getInstance("HmacSHA256");
            h.init(new SecretKeySpec(master, "HmacSHA256"));
            byte[] k1 = h.doFinal(("fathom/address/" + epoch).getBytes(StandardCharsets.UTF_8));
            byte[] k2 = h.doFinal(("fathom/address-pad/" + epoch).getBytes(StandardCharsets.UTF_8));
            byte[] key = new byte[32];
            System.arraycopy(k1, 0, key, 0, 16);
            System.arraycopy(k2, 0, key, 16, 16);
            pan = new CryptoPan(key);
            byte[] tk = h.doFinal(("fathom/token/" + epoch).getBytes(StandardCharsets.UTF_8));
            tokenMac = Mac.getInstance("HmacSHA256");
            tokenMac.init(new SecretKeySpec(tk, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
        cachedEpoch = epoch;
    }

    /** Pseudonym of an address in the 128-bit form; IPv4 (mapped) stays IPv4. */
    long[] address(long epoch, long hi, long lo) {
        AddressKey k = new AddressKey(epoch, hi, lo);
        long[] cached = addresses.get(k);
        if (cached != null) {
            return cached;
        }
        select(epoch);
        long[] r;
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            int a = pan.anonymize4((int) lo);
            r = new long[] {0, 0x0000_FFFF_0000_0000L | (a & 0xFFFF_FFFFL)};
        } else {
            r = pan.anonymize6(hi, lo);
        }
        addresses.put(k, r);
        return r;
    }

    /** A short keyed token for an identifier of the given kind, e.g. {@code u-3k9x7q2m}. */
    String token(long epoch, String kind, String value) {
        select(epoch);
        byte[] d = tokenMac.doFinal((kind + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 6);
    }
}
