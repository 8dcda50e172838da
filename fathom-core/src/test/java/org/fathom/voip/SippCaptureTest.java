package org.fathom.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.fathom.record.CallRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls that sipp placed and answered on loopback (captures/voip/README.md): Fathom's count per
 * outcome must equal sipp's own statistics (SuccessfulCall of each UAC run, mapped to the outcome
 * its scenario produces).
 */
class SippCaptureTest {
    static final Path DIR = Path.of("src/test/resources/captures/voip");
    static List<CallRecord> calls;
    static CallStats stats;
    static Path pcap;

    @BeforeAll
    static void analyze() throws IOException {
        pcap = Files.createTempFile("sipp-calls", ".pcap");
        pcap.toFile().deleteOnExit();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DIR.resolve("sipp-calls.pcap.gz")))) {
            Files.copy(in, pcap, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        stats = new CallStats();
        calls = Analyze.calls(pcap, CallConfig.defaults(), stats);
    }

    /** name -> {outcome, emergency, successful calls, failed calls} from runs.txt and the sipp stat files. */
    static Map<String, String[]> sippRuns() throws IOException {
        Map<String, String[]> runs = new TreeMap<>();
        for (String line : Files.readAllLines(DIR.resolve("stats/runs.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] p = line.trim().split("\\s+");
            List<String> csv = Files.readAllLines(DIR.resolve("stats/" + p[0] + ".csv"));
            List<String> head = List.of(csv.getFirst().split(";"));
            String[] last = csv.getLast().split(";");
            runs.put(p[0], new String[] {p[6], p[7], last[head.indexOf("SuccessfulCall(C)")], last[head.indexOf("FailedCall(C)")]});
        }
        return runs;
    }

    @Test
    void countsPerOutcomeEqualSippStatistics() throws IOException {
        Map<String, Long> expected = new TreeMap<>();
        long emergency = 0;
        for (String[] r : sippRuns().values()) {
            assertThat(Long.parseLong(r[3])).as("sipp failed calls").isZero();
            expected.merge(r[0], Long.parseLong(r[2]), Long::sum);
            if (r[1].equals("true")) {
                emergency += Long.parseLong(r[2]);
            }
        }
        Map<String, Long> actual = new TreeMap<>();
        for (CallRecord c : calls) {
            actual.merge(c.outcome(), 1L, Long::sum);
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(calls.stream().filter(CallRecord::emergency).count()).isEqualTo(emergency);
        for (String o : expected.keySet()) {
            assertThat(stats.count(o)).as(o).isEqualTo(expected.get(o));
        }
        assertThat(stats.attempts()).isEqualTo(calls.size());
        long bucketed = stats.perMinute().values().stream().flatMapToLong(java.util.Arrays::stream).sum();
        assertThat(bucketed).isEqualTo(calls.size());
        assertThat(stats.blocked()).isEqualTo(expected.get("rejected") + expected.get("failed"));
    }

    @Test
    void theNumberOfWorkersChangesNothing() {
        List<CallRecord> three = Analyze.calls(pcap, CallConfig.defaults(), new CallStats(), Analyze.labPolicy(), 3);
        assertThat(three).containsExactlyElementsOf(calls);
    }

    @Test
    void rtpQualityOfThePlayedStreams() {
        List<CallRecord> withMedia = calls.stream().filter(c -> !c.media().isEmpty()).toList();
        assertThat(withMedia).hasSize(17);   // completed_rtp and dropped_media_a/b
        for (CallRecord c : withMedia) {
            assertThat(c.media()).hasSize(2);
            for (CallRecord.MediaStream m : c.media()) {
                // rtp-pcma.pcap: 48 packets of 50 sent (sequence 10 and 30 left out), sequence wraps
                assertThat(m.packets()).isEqualTo(48);
                assertThat(m.lossPct()).isEqualTo(4.0);
                assertThat(m.codec()).isEqualTo("PCMA/8000");
                assertThat(m.maxGapMs()).isBetween(35L, 200L);
                assertThat(m.mos()).isBetween(3.5, 4.2);
            }
        }
    }

    @Test
    void postDialDelayAndEndReasons() {
        for (CallRecord c : calls) {
            assertThat(c.pddMs()).as(c.callId()).isBetween(0L, 2000L);
            if (c.outcome().equals("completed")) {
                assertThat(c.endReason()).isEqualTo("bye");
                assertThat(c.durationS()).isPositive();
            }
        }
        Map<String, Long> dropped = new TreeMap<>();
        calls.stream().filter(c -> c.outcome().equals("dropped")).forEach(c -> dropped.merge(c.endReason(), 1L, Long::sum));
        assertThat(dropped).isEqualTo(Map.of("bye_with_error_reason", 20L, "no_ack", 5L, "media_timeout", 2L));
        assertThat(calls.stream().filter(c -> c.transport().equals("TCP")).count()).isEqualTo(40);
    }
}
