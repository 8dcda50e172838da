package org.fathom.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.ForwardingSource;
import org.fathom.capture.Packet;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.Engine;
import org.fathom.pipeline.Progress;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.record.AlertRecord;
import org.fathom.record.CollectingSink;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thresholds replaced while the detector runs ({@link AttackDetector.Rules}, SIGHUP in live): the
 * detector reads the holder, not a copy, at its sweep; and it counts the alerts it raises and ends
 * ({@link AlertCounts}).
 */
class ThresholdReloadTest {
    @TempDir
    Path dir;

    /** Runs the UDP flood capture; after {@code switchAt} packets the rules become {@code then}. */
    List<AlertRecord> run(AttackDetector.Rules rules, AlertCounts counts, int switchAt,
                          List<AttackDetector.NetworkThresholds> then) throws Exception {
        PrivacyPolicy policy = Analyze.labPolicy();
        CollectingSink sink = new CollectingSink();
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink));
             CaptureReader file = CaptureFiles.open(AttackCapturesTest.capture("udp-flood"))) {
            AnalysisOptions o = AnalysisOptions.defaults().withAnalyzer(AttackDetector.factory(rules, counts));
            new Engine(o, 1, guard).run(new ForwardingSource(file) {
                int n;

                @Override
                public int read(Packet p) {
                    if (++n == switchAt) {
                        rules.set(then);
                    }
                    return source.read(p);
                }
            }, new AnalysisSummary(), Progress.NONE);
        }
        return sink.alerts();
    }

    @Test
    void thresholdsPublishedThroughTheHolderReachTheRunningDetector() throws Exception {
        Path f = dir.resolve("thresholds.txt");
        Files.writeString(f, "127.0.0.0/8 udpPps=1000000\n");
        List<AttackDetector.NetworkThresholds> high = ThresholdRules.load(f);

        // control: high thresholds throughout, no alert
        AlertCounts none = new AlertCounts();
        assertThat(run(new AttackDetector.Rules(high), none, Integer.MAX_VALUE, high)).isEmpty();
        assertThat(none.raised()).isEmpty();

        // the detector made with high thresholds; the defaults published through the holder while the
        // engine reads the capture (as its first frame is read), before the detector's first sweep: the
        // flood is reported. (Later in the flood it would not be: by then the flood is the destination's
        // learned baseline, and an alert needs five times the baseline.)
        AlertCounts counts = new AlertCounts();
        List<AlertRecord> alerts = run(new AttackDetector.Rules(high), counts, 1, List.of());
        assertThat(alerts).extracting(AlertRecord::kind).containsExactly("udp_flood");
        assertThat(counts.raised()).isEqualTo(Map.of("udp_flood", 1L));
        assertThat(counts.active()).as("ended by the end of the run").isEmpty();
    }
}
