package org.fathom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fathom.record.FlowRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/**
 * The TCP traffic issues of flow records ({@code tcp.*}, flow.TcpHealth) against tshark's own
 * TCP analysis on corpus captures: retransmitted segments (tshark's
 * {@code tcp.analysis.retransmission}, which includes fast and spurious retransmissions) and
 * out-of-order segments per direction exactly, the handshake RTT ({@code tcp.rtt_server_ms +
 * tcp.rtt_client_ms} against {@code tcp.analysis.initial_rtt}) within 1 ms. Skipped without
 * tshark or the corpus. The captures are the corpus captures with retransmissions where the
 * flows are flows for both tools (docs/EVENTS.md lists where they are not).
 */
class TcpIssuesTsharkTest {
    static final List<String> CAPTURES = List.of("1kxun.pcap", "fix2.pcap", "ultrasurf.pcap", "weibo.pcap", "webex.pcap",
            "teams.pcap", "android.pcap", "wow.pcap", "KakaoTalk_chat.pcap", "KakaoTalk_talk.pcap", "psiphon3.pcap",
            "anyconnect-vpn.pcap", "waze.pcap", "ocs.pcap", "synscan.pcap", "tunnelbear.pcap", "monero.pcap",
            "hpvirtgrp.pcap", "mining.pcapng");

    record Dir(String src, int sport, String dst, int dport) {}

    @Test
    void retransmissionsOutOfOrderAndHandshakeRttAgreeWithTshark() throws Exception {
        assumeTrue(Files.isDirectory(CaptureAnalyzerTest.CORPUS), "nDPI corpus not present");
        assumeTrue(Tshark.available(), "tshark not installed");
        long retransmissions = 0;
        long outOfOrder = 0;
        int rtts = 0;
        for (String name : CAPTURES) {
            Path pcap = CaptureAnalyzerTest.CORPUS.resolve(name);
            if (!Files.exists(pcap)) {
                continue;
            }
            Map<Dir, Long> retrans = new HashMap<>();
            Map<Dir, Long> ooo = new HashMap<>();
            Map<Dir, Double> rtt = new HashMap<>();
            for (FlowRecord f : Analyze.flows(pcap, 1, Analyze.labPolicy())) {
                if (!f.l4().equals("TCP")) {
                    continue;
                }
                Dir c2s = new Dir(f.srcIp(), f.srcPort(), f.dstIp(), f.dstPort());
                Dir s2c = new Dir(f.dstIp(), f.dstPort(), f.srcIp(), f.srcPort());
                Map<String, Object> m = f.metadata();
                retrans.merge(c2s, num(m.get("tcp.retrans_c2s")), Long::sum);
                retrans.merge(s2c, num(m.get("tcp.retrans_s2c")), Long::sum);
                ooo.merge(c2s, num(m.get("tcp.out_of_order_c2s")), Long::sum);
                ooo.merge(s2c, num(m.get("tcp.out_of_order_s2c")), Long::sum);
                if (m.get("tcp.rtt_server_ms") instanceof Double s && m.get("tcp.rtt_client_ms") instanceof Double c) {
                    rtt.putIfAbsent(c2s, s + c);
                }
            }
            Map<Dir, Long> tRetrans = new HashMap<>();
            Map<Dir, Long> tOoo = new HashMap<>();
            Set<String> streams = new HashSet<>();
            for (String[] r : Tshark.fields(pcap, "tcp.analysis.retransmission || tcp.analysis.out_of_order"
                            + " || (tcp.analysis.initial_rtt && tcp.flags.syn == 0)",
                    "ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst", "tcp.dstport",
                    "tcp.analysis.retransmission", "tcp.analysis.out_of_order", "tcp.analysis.initial_rtt", "tcp.stream")) {
                Dir d = new Dir(last(r[0].isEmpty() ? r[1] : r[0]), Integer.parseInt(r[2]),
                        last(r[3].isEmpty() ? r[4] : r[3]), Integer.parseInt(r[5]));
                if (!r[6].isEmpty()) {
                    tRetrans.merge(d, 1L, Long::sum);
                }
                if (!r[7].isEmpty()) {
                    tOoo.merge(d, 1L, Long::sum);
                }
                if (!r[8].isEmpty() && streams.add(r[9]) && rtt.containsKey(d)) {
                    assertThat(rtt.get(d)).as("%s %s handshake RTT (ms)", name, d)
                            .isCloseTo(Double.parseDouble(r[8]) * 1000, org.assertj.core.data.Offset.offset(1.0));
                    rtts++;
                }
            }
            for (Dir d : union(retrans.keySet(), tRetrans.keySet())) {
                assertThat(retrans.getOrDefault(d, 0L)).as("%s %s retransmissions", name, d).isEqualTo(tRetrans.getOrDefault(d, 0L));
            }
            for (Dir d : union(ooo.keySet(), tOoo.keySet())) {
                assertThat(ooo.getOrDefault(d, 0L)).as("%s %s out of order", name, d).isEqualTo(tOoo.getOrDefault(d, 0L));
            }
            retransmissions += tRetrans.values().stream().mapToLong(Long::longValue).sum();
            outOfOrder += tOoo.values().stream().mapToLong(Long::longValue).sum();
        }
        assertThat(retransmissions).isGreaterThan(500);
        assertThat(outOfOrder).isGreaterThan(50);
        assertThat(rtts).isGreaterThan(200);
    }

    private static Set<Dir> union(Set<Dir> a, Set<Dir> b) {
        Set<Dir> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /** The innermost address of a tunnelled packet (tshark lists every layer's). */
    private static String last(String s) {
        int c = s.lastIndexOf(',');
        return c < 0 ? s : s.substring(c + 1);
    }

    private static long num(Object o) {
        return o instanceof Long l ? l : 0;
    }
}
