package org.fathom.protocol.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * RTP quality of flows no signalling announced (issue 16 item 9): per direction packets, loss,
 * jitter and MOS as flow metadata, for every packet of the flow, not only the ones inspected.
 */
class RtpMeterTest {
    static final Path PCAP = Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap")) ? Path.of("../../shared/corpus/ndpi/pcap")
            : Path.of("../../../shared/corpus/ndpi/pcap");
    static final long SEC = 1_000_000_000L;

    static byte[] rtp(int pt, int seq, long ts, int ssrc) {
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >> 24);
        p[11] = (byte) ssrc;
        return p;
    }

    /** Drives the dissector as the engine does: inspect until it stops, then the meter it handed over. */
    static final class Engine {
        final TestFlow flow = TestFlow.udp(new RtpDissector(), 40002);

        void packet(boolean fromClient, byte[] p, long nanos) {
            flow.timestampNanos = nanos;
            if (flow.stopped) {
                if (flow.meter != null) {
                    flow.meter.packet(fromClient, p, 0, p.length, nanos);
                }
            } else {
                flow.feed(fromClient, p);
            }
        }

        Map<String, Object> publish() {
            flow.meter.publish(flow);
            return flow.meta;
        }
    }

    @Test
    void lossJitterAndMosPerDirectionOverTheWholeFlow() {
        Engine e = new Engine();
        long t = 1_800_000_000L * SEC;
        for (int i = 0; i < 500; i++) {
            t += 20_000_000;
            if (i % 10 != 9) {                                   // c2s: every tenth packet lost
                e.packet(true, rtp(i % 50 < 5 ? 13 : 8, i, i * 160L, 1), t);   // with comfort noise
            }
            e.packet(false, rtp(111, 1000 + i, 5000 + i * 960L, 2), t + (i % 2) * 4_000_000);   // dynamic type, 48 kHz, 4 ms jitter
        }
        assertThat(e.flow.meter).as("the dissector hands over a meter when it classifies the flow").isNotNull();
        Map<String, Object> m = e.publish();
        assertThat(m.get("rtp.packets_c2s")).isEqualTo(450L);
        assertThat((double) m.get("rtp.loss_pct_c2s")).isCloseTo(10.0, within(0.3));
        assertThat((double) m.get("rtp.jitter_ms_c2s")).isLessThan(0.1);
        assertThat((double) m.get("rtp.mos_c2s")).isBetween(2.0, 4.0);   // G.711 with 10 % loss
        assertThat(m.get("rtp.packets_s2c")).isEqualTo(500L);
        assertThat((double) m.get("rtp.loss_pct_s2c")).isZero();
        assertThat((double) m.get("rtp.jitter_ms_s2c")).isCloseTo(4.0, within(0.5));   // clock rate estimated
        assertThat((double) m.get("rtp.mos_s2c")).isGreaterThan(4.0);
    }

    @Test
    void measuringAllocatesNothingPerPacket() {
        Engine e = new Engine();
        long t = 1_800_000_000L * SEC;
        byte[] p = rtp(111, 0, 0, 7);
        for (int i = 0; i < 10; i++) {
            t += 20_000_000;
            p[3] = (byte) i;
            e.packet(true, p, t);
        }
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 10; i < 100_010; i++) {
            t += 20_000_000;
            p[2] = (byte) (i >> 8);
            p[3] = (byte) i;
            long ts = i * 960L;
            p[4] = (byte) (ts >> 24);
            p[5] = (byte) (ts >> 16);
            p[6] = (byte) (ts >> 8);
            p[7] = (byte) ts;
            e.flow.meter.packet(true, p, 0, p.length, t);
        }
        assertThat(mx.getCurrentThreadAllocatedBytes() - before).as("bytes allocated by 100,000 packets").isLessThan(2_000);
        assertThat(e.publish().get("rtp.loss_pct_c2s")).isEqualTo(0.0);
    }

    @Test
    void videoHasNoMos() {
        Engine e = new Engine();
        long t = 1_800_000_000L * SEC;
        for (int i = 0; i < 20; i++) {
            t += 33_000_000;
            e.packet(true, rtp(34, i, i * 2970L, 1), t);   // H.263, 90 kHz
        }
        Map<String, Object> m = e.publish();
        assertThat(m).containsEntry("rtp.packets_c2s", 20L).doesNotContainKey("rtp.mos_c2s").doesNotContainKey("rtp.packets_s2c");
    }

    /**
     * KakaoTalk voice (RTP with dynamic type 108, no SIP): tshark ({@code -o rtp.heuristic_rtp:TRUE
     * -z rtp,streams}) counts 757 packets and 3 lost (0.4 %) from 10.24.82.188:11320, 746 and 0 back.
     */
    @Test
    void agreesWithTsharkOnKakaoTalk() {
        Path p = PCAP.resolve("KakaoTalk_talk.pcap");
        Assumptions.assumeTrue(Files.isRegularFile(p), "nDPI corpus not present");
        List<FlowRecord> flows = Analyze.flows(p);
        FlowRecord f = flows.stream().filter(r -> r.srcPort() == 11320 && "RTP".equals(r.protocol())).findFirst().orElseThrow();
        assertThat(f.metadata()).containsEntry("rtp.packets_c2s", 757L).containsEntry("rtp.packets_s2c", 746L)
                .containsEntry("rtp.loss_pct_c2s", 0.39).containsEntry("rtp.loss_pct_s2c", 0.0);
        assertThat(f.metadata()).containsKeys("rtp.jitter_ms_c2s", "rtp.mos_c2s", "rtp.jitter_ms_s2c", "rtp.mos_s2c");
    }

    /** The figures leave through the privacy guard in its default (pseudonymous) mode, as JSON numbers. */
    @Test
    void theFiguresPassTheDefaultPrivacyPolicyAsNumbers(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path p = PCAP.resolve("KakaoTalk_talk.pcap");
        Assumptions.assumeTrue(Files.isRegularFile(p), "nDPI corpus not present");
        FlowRecord f = Analyze.flows(p).stream().filter(r -> r.srcPort() == 11320 && "RTP".equals(r.protocol())).findFirst().orElseThrow();
        var policy = org.fathom.privacy.PrivacyPolicy.defaults().withAuditLog(tmp.resolve("audit.log")).withKeyFile(tmp.resolve("key"));
        var out = new java.io.ByteArrayOutputStream();
        try (var guard = new org.fathom.privacy.PrivacyGuard(policy, org.fathom.privacy.AuditLog.open(policy.auditLog()),
                List.of(new org.fathom.output.JsonLinesFlowSink(out, false)))) {
            guard.emit(f);
        }
        String json = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).contains("\"rtp.packets_c2s\":757", "\"rtp.loss_pct_c2s\":0.39", "\"rtp.loss_pct_s2c\":0.0")
                .containsPattern("\"rtp.jitter_ms_s2c\":[0-9.]+[,}]").containsPattern("\"rtp.mos_c2s\":[0-9.]+[,}]");
    }
}
