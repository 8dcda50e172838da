package org.fathom.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code flow_id} of flow records and their events: SipHash-2-4 of the flow's unordered
 * endpoint pair, L4 protocol, VLAN and first-packet time, keyed by a key derived from the
 * pseudonymisation master key (HMAC-SHA256(master, "flow-id")); the time in microseconds, the
 * precision records show. So it is
 * <ul>
 *   <li>the same for a flow's final and interim records and for all its events, whatever worker
 *       made them and however many workers ran (it depends on nothing but the flow);</li>
 *   <li>the same across runs with the same key file, different across key files;</li>
 *   <li>not personal data: without the master key it cannot be recomputed from a guessed address,
 *       nor turned back into one.</li>
 * </ul>
 * Immutable and thread-safe; costs one short hash per flow, at the cold edge.
 */
public final class FlowIds {
    private final long k0;
    private final long k1;

    FlowIds(byte[] master) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            byte[] d = mac.doFinal("flow-id".getBytes(StandardCharsets.US_ASCII));
            this.k0 = le(d, 0);
            this.k1 = le(d, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** For tests: a fixed key. */
    public static FlowIds withKey(long k0, long k1) {
        return new FlowIds(k0, k1);
    }

    private FlowIds(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /**
     * The id of the flow between endpoints a and b (either order gives the same id), as 16 hex digits.
     */
    public String of(int l4, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, int vlan, long firstSeenNanos) {
        // unordered pair: the smaller endpoint first, so a turned-round flow keeps its id
        boolean swap = Long.compareUnsigned(aHi, bHi) > 0
                || aHi == bHi && (Long.compareUnsigned(aLo, bLo) > 0 || aLo == bLo && aPort > bPort);
        if (swap) {
            long t = aHi; aHi = bHi; bHi = t;
            t = aLo; aLo = bLo; bLo = t;
            int p = aPort; aPort = bPort; bPort = p;
        }
        long ports = (aPort & 0xFFFFL) | (bPort & 0xFFFFL) << 16 | (l4 & 0xFFL) << 32 | (vlan & 0xFFFFL) << 40;
        // the first packet's time at the precision records show (microseconds): a live capture's
        // nanosecond clock and a pcap of the same traffic name the flow alike
        return hex(sip(aHi, aLo, bHi, bLo, ports, Math.floorDiv(firstSeenNanos, 1000L)));
    }

    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** 16 lower-case hex digits: one small array and the string (no formatter). */
    static String hex(long v) {
        byte[] b = new byte[16];
        for (int i = 15; i >= 0; i--) {
            b[i] = DIGITS[(int) (v & 0xF)];
            v >>>= 4;
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** SipHash-2-4 over six 64-bit words (48 bytes); nothing allocated. */
    private long sip(long m0, long m1, long m2, long m3, long m4, long m5) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        for (int i = 0; i < 11; i++) {
            long m = switch (i) {
                case 0 -> m0;
                case 1 -> m1;
                case 2 -> m2;
                case 3 -> m3;
                case 4 -> m4;
                case 5 -> m5;
                default -> 48L << 56;   // the length block, then finalisation
            };
            int rounds = 2;
            if (i < 7) {
                v3 ^= m;
            } else if (i == 7) {
                v2 ^= 0xff;
                rounds = 4;
            } else {
                break;
            }
            for (int r = 0; r < rounds; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            if (i < 7) {
                v0 ^= m;
            }
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static long le(byte[] b, int o) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[o + i] & 0xFF);
        }
        return v;
    }
}
