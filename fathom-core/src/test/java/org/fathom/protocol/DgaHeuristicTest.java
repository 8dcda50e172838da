package org.fathom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DgaHeuristicTest {
    /**
     * Names in the style of well-documented DGA families, built for this test: Conficker (8-11
     * random letters under .biz/.info/.org...), Cryptolocker (12-15 letters, .ru/.com/.net...),
     * Gameover Zeus (20-28 letters and digits), Bamital (an MD5 in hex), Ramnit/Qakbot (random
     * letters), and the random names Tor puts in its TLS SNI (www.&lt;base32&gt;.com).
     */
    static final String[] DGA = {
        "sdcfvvgyrn.biz", "bxcaqlaacxd.info", "qzxbtdmwpfk.org", "kbrjzmoxvdwhxq.ru", "ugqjyrbbqfhgbp.com",
        "fmnrhxaqbgbuyj.net", "ccydaxlwwyqkml.org", "1w4lczh1izu4w1h1m3vrp6ijr6.com",
        "qhr3sq1vkwed1mbc0gx4hmeyx.net", "d9a4f9b3c57c0f6f7b1e2a9c4d8e6b3a.info", "sjbnykfapbwt.com",
        "ybrpkprdwrj.biz", "zyhnuxqgxtrfinhdjbi.org", "xgujqcyqyfpw.info",
        "www.q4cyamnc6mtokjurvdclt.com", "www.e6r5p57kbafwrxj3plz.com", "www.gfu7hbxpfp.com",
        "cdn.kbrjzmoxvdwhxq.ru", "kbrjzmoxvdwhxq.co.uk", "kbrjzmoxvdwhxq.duckdns.org",
    };

    @Test
    void flagsKnownStyleSamples() {
        for (String h : DGA) {
            assertThat(DgaHeuristic.suspicious(h)).as(h).isTrue();
        }
    }

    @Test
    void limits() {
        // random names that happen to read like words, and dictionary or pronounceable
        // generators (Matsnu, Suppobox, Simda), are missed: the heuristic is a hint
        for (String h : new String[] {"mtmcorhyjhtr.ru", "partnershiptaxesexcellent.com", "gatyfus.com", "lyvyxor.com"}) {
            assertThat(DgaHeuristic.suspicious(h)).as(h).isFalse();
        }
    }

    @Test
    void noAlarmOnPopularDomains() throws IOException {
        List<String> popular = new ArrayList<>();
        try (InputStream in = DgaHeuristicTest.class.getResourceAsStream("popular-domains.txt")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank()) {
                    popular.add(l.strip());
                }
            }
        }
        assertThat(popular).hasSizeGreaterThanOrEqualTo(300);
        for (String h : popular) {
            assertThat(DgaHeuristic.suspicious(h)).as(h).isFalse();
        }
        // and every service the bundled catalog knows stays quiet because of the catalog anyway
    }

    @Test
    void randomLabelsAndCdnLabelsWhereTheyAreNotJudged() {
        assertThat(DgaHeuristic.suspicious("kbrjzmoxvdwhxq.googlevideo.com")).isFalse();
        assertThat(DgaHeuristic.suspicious("d3h6k4kfl8m9p0xq.cloudfront.net")).isFalse();
        assertThat(DgaHeuristic.suspicious("kbrjzmoxvdwhxq")).isFalse();       // single label
        assertThat(DgaHeuristic.suspicious("kbrjzmoxvdwhxq.local")).isFalse();
        assertThat(DgaHeuristic.suspicious("4.3.2.1.in-addr.arpa")).isFalse();
        assertThat(DgaHeuristic.suspicious("192.168.1.1")).isFalse();
        assertThat(DgaHeuristic.suspicious("xn--bcher-kva.example")).isFalse();
        assertThat(DgaHeuristic.suspicious("qwrtp.com")).isFalse();            // too short to judge
        assertThat(DgaHeuristic.suspicious("")).isFalse();
        assertThat(DgaHeuristic.suspicious(null)).isFalse();
    }

    @Test
    void detectsMostRandomNames() {
        Random r = new Random(20240601);
        String letters = "abcdefghijklmnopqrstuvwxyz";
        assertThat(rate(r, letters, 12, 15, ".ru")).isGreaterThan(0.70);
        assertThat(rate(r, letters, 10, 11, ".biz")).isGreaterThan(0.65);
        assertThat(rate(r, letters + "0123456789", 20, 28, ".net")).isGreaterThan(0.85);
    }

    private static double rate(Random r, String alphabet, int min, int max, String tld) {
        int hits = 0;
        int n = 2000;
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int len = min + r.nextInt(max - min + 1);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            if (DgaHeuristic.suspicious(sb + tld)) {
                hits++;
            }
        }
        return hits / (double) n;
    }

    @Property(tries = 500)
    void neverThrows(@ForAll String host) {
        DgaHeuristic.suspicious(host);
        DgaHeuristic.suspicious(host + ".com");
    }
}
