package org.fathom.protocol.tls;

import java.util.Arrays;

/**
 * The JA3 and JA4 of recently seen ClientHellos, so that the same client software (most
 * ClientHellos on a link come from a few browsers and libraries) is not hashed again for every
 * connection: a direct-mapped table of {@link #SIZE} entries per thread, keyed by every field the
 * two fingerprints read, compared in full on a hit (a hash collision only costs a recomputation).
 * Memory is fixed: at most {@link #SIZE} remembered ClientHellos per worker thread, and of each
 * only the numeric fields (never the server name): about 2.5 MB per worker at most.
 *
 * <p>Size: the corpus alone holds about 770 distinct ClientHellos; with 256 entries a working set
 * larger than the table thrashes it (benchmark capture: 35% misses), with 4,096 it does not (4%:
 * the first sight of each).
 */
final class FingerprintCache {
    static final int SIZE = 4096;

    private static final ThreadLocal<FingerprintCache> CACHE = ThreadLocal.withInitial(FingerprintCache::new);

    /** What a fingerprint is made of, copied by reference from a parsed ClientHello (whose arrays never change). */
    private record Key(char transport, int legacyVersion, boolean hasSniExtension, int[] ciphers, int[] extensions,
                       int[] supportedVersions, int[] groups, int[] pointFormats, int[] signatureAlgorithms,
                       byte[] firstAlpn) {
        boolean matches(ClientHello b, char t) {
            return transport == t && legacyVersion == b.legacyVersion && hasSniExtension == b.hasSniExtension
                    && Arrays.equals(ciphers, b.ciphers) && Arrays.equals(extensions, b.extensions)
                    && Arrays.equals(supportedVersions, b.supportedVersions) && Arrays.equals(groups, b.groups)
                    && Arrays.equals(pointFormats, b.pointFormats)
                    && Arrays.equals(signatureAlgorithms, b.signatureAlgorithms)
                    && Arrays.equals(firstAlpn, b.firstAlpn);
        }
    }

    private final Key[] keys = new Key[SIZE];
    private final String[] ja3 = new String[SIZE];
    private final String[] ja4 = new String[SIZE];
    long hits;
    long misses;

    static FingerprintCache get() {
        return CACHE.get();
    }

    /** {@code [ja3, ja4]} of {@code ch}, the same as {@link Fingerprints#ja3} and {@link Fingerprints#ja4}. */
    String[] fingerprints(ClientHello ch, char transport) {
        int i = slot(ch, transport);
        Key k = keys[i];
        if (k != null && k.matches(ch, transport)) {
            hits++;
            return new String[] {ja3[i], ja4[i]};
        }
        misses++;
        String a = Fingerprints.ja3(ch);
        String b = Fingerprints.ja4(ch, transport);
        keys[i] = new Key(transport, ch.legacyVersion, ch.hasSniExtension, ch.ciphers, ch.extensions,
                ch.supportedVersions, ch.groups, ch.pointFormats, ch.signatureAlgorithms, ch.firstAlpn);
        ja3[i] = a;
        ja4[i] = b;
        return new String[] {a, b};
    }

    private static int slot(ClientHello ch, char transport) {
        int h = transport;
        h = 31 * h + ch.legacyVersion;
        h = 31 * h + (ch.hasSniExtension ? 1 : 0);
        h = 31 * h + Arrays.hashCode(ch.ciphers);
        h = 31 * h + Arrays.hashCode(ch.extensions);
        h = 31 * h + Arrays.hashCode(ch.supportedVersions);
        h = 31 * h + Arrays.hashCode(ch.groups);
        h = 31 * h + Arrays.hashCode(ch.pointFormats);
        h = 31 * h + Arrays.hashCode(ch.signatureAlgorithms);
        h = 31 * h + Arrays.hashCode(ch.firstAlpn);
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        return h & (SIZE - 1);
    }
}
