package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CryptoPanTest {
    /** The key of the Crypto-PAn reference implementation's sample program. */
    static final byte[] KEY = {21, 34, 23, (byte) 141, 51, (byte) 164, (byte) 207, (byte) 128, 19, 10, 91, 22, 73, (byte) 144,
        125, 16, (byte) 216, (byte) 152, (byte) 143, (byte) 131, 121, 121, 101, 39, 98, 87, 76, 45, 42, (byte) 132, 34, 2};

    static int ip(String s) {
        String[] p = s.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8 | Integer.parseInt(p[3]);
    }

    static String text(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
    }

    @Test
    void matchesTheReferenceImplementationsSampleTrace() {
        CryptoPan pan = new CryptoPan(KEY);
        String[][] vectors = {
            {"128.11.68.132", "135.242.180.132"},
            {"129.118.74.4", "134.136.186.123"},
            {"130.132.252.244", "133.68.164.234"},
            {"141.223.7.43", "141.167.8.160"},
            {"141.233.145.108", "141.129.237.235"},
            {"152.163.225.39", "151.140.114.167"},
            {"156.29.3.236", "147.225.12.42"},
            {"165.247.96.84", "162.9.99.234"},
            {"166.107.77.190", "160.132.178.185"},
            {"192.102.249.13", "252.138.62.131"},
        };
        for (String[] v : vectors) {
            assertThat(text(pan.anonymize4(ip(v[0])))).as(v[0]).isEqualTo(v[1]);
        }
    }

    @Property(tries = 300)
    void preservesExactlyTheCommonPrefixOfIpv4(@ForAll int a, @ForAll int b) {
        CryptoPan pan = new CryptoPan(KEY);
        int common = Integer.numberOfLeadingZeros(a ^ b);
        int pa = pan.anonymize4(a);
        int pb = pan.anonymize4(b);
        assertThat(Integer.numberOfLeadingZeros(pa ^ pb)).isEqualTo(common);
    }

    @Test
    void preservesPrefixesOfIpv6() {
        CryptoPan pan = new CryptoPan(KEY);
        Random r = new Random(7);
        for (int i = 0; i < 50; i++) {
            long hi = r.nextLong();
            long lo = r.nextLong();
            int flip = r.nextInt(128);
            long hi2 = flip < 64 ? hi ^ (1L << (63 - flip)) : hi;
            long lo2 = flip >= 64 ? lo ^ (1L << (127 - flip)) : lo;
            long[] p1 = pan.anonymize6(hi, lo);
            long[] p2 = pan.anonymize6(hi2, lo2);
            int common = p1[0] != p2[0] ? Long.numberOfLeadingZeros(p1[0] ^ p2[0]) : 64 + Long.numberOfLeadingZeros(p1[1] ^ p2[1]);
            assertThat(common).isEqualTo(flip);
        }
    }
}
