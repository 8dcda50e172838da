package org.fathom.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.analysis.PacketAnalyzer;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.CaptureWarning;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.record.CollectingSink;
import org.fathom.record.FlowRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EngineTest {
    private static final PrivacyPolicy POLICY = Analyze.labPolicy();

    static Path sample() throws URISyntaxException {
        return Path.of("..", "samples", "http-loopback.pcap");
    }

    /**
     * A source that is not a file: the frames of a capture, then (like a quiet link) nothing but
     * idle polls whose clock moves on by {@code idleStepNanos} each, then the end.
     */
    static final class QuietAfterwards implements PacketSource {
        private final CaptureReader file;
        private final int idlePolls;
        private final long idleStepNanos;
        private final CollectingSink sink;
        private long last;
        private int polled;
        /** Flow records out when the source said END: those that ended while it was quiet. */
        volatile int endedWhileQuiet = -1;

        QuietAfterwards(CaptureReader file, int idlePolls, long idleStepNanos, CollectingSink sink) {
            this.file = file;
            this.idlePolls = idlePolls;
            this.idleStepNanos = idleStepNanos;
            this.sink = sink;
        }

        @Override
        public int read(Packet packet) {
            if (file.next(packet)) {
                last = packet.timestampNanos;
                return PACKET;
            }
            if (polled < idlePolls) {
                polled++;
                packet.timestampNanos = last + polled * idleStepNanos;
                if (polled > idlePolls / 2) {
                    pause(); // a live source waits out its poll interval; workers catch up meanwhile
                }
                return IDLE;
            }
            endedWhileQuiet = sink.flows().size();
            return END;
        }

        private static void pause() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void copyPrefixOnly(int bytesPerFrame) {
            file.copyPrefixOnly(bytesPerFrame);
        }

        @Override
        public void complete(Packet packet) {
            file.complete(packet);
        }

        @Override
        public void copyFrame(Packet read, byte[] dst, int at) {
            file.copyFrame(read, dst, at);
        }

        @Override
        public String name() {
            return "quiet-link";
        }

        @Override
        public String format() {
            return "test";
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public List<CaptureWarning> warnings() {
            return List.of();
        }

        @Override
        public void close() {
            file.close();
        }
    }

    private static List<FlowRecord> run(PacketSource source, int workers, AnalysisOptions options) throws Exception {
        return run(source, workers, options, new CollectingSink());
    }

    private static List<FlowRecord> run(PacketSource source, int workers, AnalysisOptions options, CollectingSink sink)
            throws Exception {
        try (PrivacyGuard guard = new PrivacyGuard(POLICY, AuditLog.open(POLICY.auditLog()), List.of(sink));
             source) {
            new Engine(options, workers, guard).run(source, new AnalysisSummary(), Progress.NONE);
        }
        return new ArrayList<>(sink.flows());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void idlePollsEndFlowsWithoutTraffic(int workers) throws Exception {
        // twenty minutes of quiet after the last packet (idle polls a minute apart) is longer than
        // any timeout: every flow must have ended, and been released, before the source ends
        CollectingSink sink = new CollectingSink();
        QuietAfterwards source = new QuietAfterwards(CaptureFiles.open(sample()), 20, 60_000_000_000L, sink);
        List<FlowRecord> ended = run(source, workers, AnalysisOptions.defaults(), sink);
        assertThat(ended).isNotEmpty();
        assertThat(source.endedWhileQuiet).isEqualTo(ended.size());
        List<FlowRecord> plain = run(CaptureFiles.open(sample()), workers, AnalysisOptions.defaults());
        assertThat(ended).hasSameSizeAs(plain);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void anAnalyzerFailureStopsTheRunWithoutHangingTheWorkers(int workers) throws Exception {
        PacketAnalyzer.Factory failing = guard -> new PacketAnalyzer() {
            int seen;

            @Override
            public void onPacket(org.fathom.decode.DecodedPacket d) {
                if (++seen == 3) {
                    throw new IllegalStateException("analyzer bug");
                }
            }

            @Override
            public void finish(PrivacyGuard g) {
            }
        };
        assertThatThrownBy(() -> run(CaptureFiles.open(sample()), workers, AnalysisOptions.defaults().withAnalyzer(failing)))
                .hasMessageContaining("analyzer bug");
    }
}
