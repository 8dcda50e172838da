package org.fathom.pipeline;

import org.fathom.lifecycle.FlowEvents;
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
    static final class QuietAfterwards extends org.fathom.capture.ForwardingSource {
        private final CaptureReader file;
        private final int idlePolls;
        private final long idleStepNanos;
        private final CollectingSink sink;
        private long last;
        private int polled;
        /** Flow records out when the source said END: those that ended while it was quiet. */
        volatile int endedWhileQuiet = -1;

        QuietAfterwards(CaptureReader file, int idlePolls, long idleStepNanos, CollectingSink sink) {
            super(file);
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
        public String name() {
            return "quiet-link";
        }

        @Override
        public String format() {
            return "test";
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

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void eachFlowIsClassifiedOnceWhileItLivesThenEnds(int workers) throws Exception {
        java.util.Map<String, List<String>> events = new java.util.concurrent.ConcurrentHashMap<>();
        FlowEvents.Factory recorder = worker -> new FlowEvents() {
            private String key(org.fathom.flow.FlowTable t, int f) {
                return t.port(f, true) + ">" + t.port(f, false);
            }

            @Override
            public void started(org.fathom.flow.FlowTable t, int f) {
                events.computeIfAbsent(key(t, f), k -> new ArrayList<>()).add("started");
            }

            @Override
            public void classified(org.fathom.flow.FlowTable t, int f, org.fathom.protocol.Classification c) {
                events.get(key(t, f)).add("classified " + c.protocol() + " after " + (t.packets(f, true) + t.packets(f, false)));
            }

            @Override
            public void ended(org.fathom.flow.FlowTable t, int f, org.fathom.flow.FlowEnd reason) {
                events.get(key(t, f)).add("ended after " + (t.packets(f, true) + t.packets(f, false)));
            }
        };
        List<FlowRecord> flows = run(CaptureFiles.open(sample()), workers, AnalysisOptions.defaults().withFlowEvents(recorder));
        assertThat(events).hasSize(flows.size()).hasSize(6);
        for (List<String> e : events.values()) {
            // handshake (3 packets), then the request: HTTP is known at the fourth packet, not at the end
            assertThat(e).hasSize(3);
            assertThat(e.get(0)).isEqualTo("started");
            assertThat(e.get(1)).isEqualTo("classified HTTP after 4");
            assertThat(e.get(2)).matches("ended after 1[0-9]");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void interimRecordsAddUpToTheFlowsOfAPlainRun(int workers) throws Exception {
        Path captures = Path.of(EngineTest.class.getResource("/captures/").toURI());
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(captures)) {
            for (Path f : s.filter(x -> x.toString().endsWith(".pcap")).sorted().toList()) {
                List<FlowRecord> plain = run(CaptureFiles.open(f), workers, AnalysisOptions.defaults());
                List<FlowRecord> split = run(CaptureFiles.open(f), workers, AnalysisOptions.defaults()
                        .withFlows(org.fathom.flow.FlowConfig.DEFAULTS.withActiveTimeout(1_000_000_000L)));
                assertThat(split.stream().filter(r -> !r.endReason().equals("active")).count()).as(f.toString())
                        .isEqualTo(plain.size());
                java.util.Map<String, Long> totals = new java.util.HashMap<>();
                for (FlowRecord r : split) {
                    totals.merge(id(r), r.packetsC2s() + r.packetsS2c() + r.bytesC2s() + r.bytesS2c(), Long::sum);
                }
                for (FlowRecord r : plain) {
                    assertThat(totals.get(id(r))).as(f + " " + id(r)).isEqualTo(r.packetsC2s() + r.packetsS2c() + r.bytesC2s() + r.bytesS2c());
                }
            }
        }
    }

    private static String id(FlowRecord r) {
        return r.l4() + " " + r.srcPort() + " " + r.dstPort() + " " + r.firstSeenNanos() + " " + r.srcLo() + " " + r.dstLo();
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Timeout(60)
    void aWorkerFailureStopsASourceThatWouldNeverEnd() throws Exception {
        FlowEvents.Factory failing = worker -> new FlowEvents() {
            @Override
            public void classified(org.fathom.flow.FlowTable t, int f, org.fathom.protocol.Classification c) {
                throw new IllegalStateException("listener bug");
            }
        };
        // a live-like source: the sample, then idle polls for ever (a billion of them)
        CollectingSink sink = new CollectingSink();
        assertThatThrownBy(() -> run(new QuietAfterwards(CaptureFiles.open(sample()), 1_000_000_000, 1_000_000L, sink), 2,
                AnalysisOptions.defaults().withFlowEvents(failing), sink))
                .hasMessageContaining("listener bug");
    }
}
