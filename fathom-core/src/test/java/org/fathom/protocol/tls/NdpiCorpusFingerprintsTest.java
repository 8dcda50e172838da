package org.fathom.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares our JA3, JA3S, cipher and JA4 hash parts with nDPI's on a few captures of the nDPI
 * corpus (skipped when the corpus is absent). JA4's part a is not compared: nDPI 4.11 takes the
 * SNI letter from whether a host name is known and the ALPN characters from the first two bytes,
 * both unlike the JA4 specification, which this project follows.
 */
class NdpiCorpusFingerprintsTest {
    /** From the module folder of a main checkout, or of a worktree one level deeper. */
    static final Path CORPUS = Files.isDirectory(Path.of("../../shared/corpus/ndpi")) ? Path.of("../../shared/corpus/ndpi")
            : Path.of("../../../shared/corpus/ndpi");
    static final Pattern FLOW = Pattern.compile("^\\t\\d+\\t(TCP|UDP) (\\S+?):(\\d+) <?-> (\\S+?):(\\d+) .*$");

    @ParameterizedTest
    @ValueSource(strings = {"tls_verylong_certificate.pcap", "quic-v2.pcapng", "dtls_certificate_fragments.pcap", "doq.pcapng",
        "quic_t51.pcap", "tls_esni_sni_both.pcap"})
    void fingerprintsAgreeWithNdpi(String capture) throws Exception {
        Path pcap = CORPUS.resolve("pcap").resolve(capture);
        Path out = CORPUS.resolve("result").resolve(capture + ".out");
        assumeTrue(Files.isRegularFile(pcap) && Files.isRegularFile(out), "nDPI corpus not present");
        Map<String, FlowRecord> ours = new HashMap<>();
        for (FlowRecord r : GoldenCapturesTest.analyze(pcap)) {
            ours.put(key(r.srcIp(), r.srcPort(), r.dstIp(), r.dstPort()), r);
        }
        int compared = 0;
        List<String> diffs = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            Matcher m = FLOW.matcher(line);
            if (!m.matches() || !line.contains("[JA4: ")) {
                continue;
            }
            FlowRecord r = ours.get(key(strip(m.group(2)), Integer.parseInt(m.group(3)), strip(m.group(4)), Integer.parseInt(m.group(5))));
            if (r == null) {
                continue;
            }
            compared++;
            check(diffs, line, "JA3C", r.metadata().get("tls.ja3"));
            check(diffs, line, "JA3S", r.metadata().get("tls.ja3s"));
            check(diffs, line, "Cipher", r.metadata().get("tls.cipher"));
            String ja4 = field(line, "JA4");
            Object mine = r.metadata().get("tls.ja4");
            if (ja4 != null && !(mine instanceof String s && s.substring(s.indexOf('_')).equals(ja4.substring(ja4.indexOf('_'))))) {
                diffs.add("JA4 " + ja4 + " vs " + mine);
            }
        }
        assertThat(compared).isPositive();
        assertThat(diffs).isEmpty();
    }

    private static void check(List<String> diffs, String line, String tag, Object mine) {
        String theirs = field(line, tag);
        if (theirs != null && !theirs.equals(mine)) {
            diffs.add(tag + " " + theirs + " vs " + mine);
        }
    }

    private static String field(String line, String tag) {
        int i = line.indexOf("[" + tag + ": ");
        if (i < 0) {
            return null;
        }
        int s = i + tag.length() + 3;
        String v = line.substring(s, line.indexOf(']', s));
        int sp = v.indexOf(' ');
        return sp > 0 ? v.substring(0, sp) : v;
    }

    private static String strip(String a) {
        return a.startsWith("[") ? a.substring(1, a.length() - 1) : a;
    }

    private static String key(String a, int pa, String b, int pb) {
        String x = a + ":" + pa;
        String y = b + ":" + pb;
        return x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x;
    }
}
