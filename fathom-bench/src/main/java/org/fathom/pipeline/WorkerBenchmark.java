package org.fathom.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fathom.analysis.PacketAnalyzer;
import org.fathom.bench.SyntheticTraffic;
import org.fathom.capture.LinkType;
import org.fathom.capture.Packet;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.Released;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One worker of the engine over the synthetic traffic, inline as with {@code -w 1}: decode, flow
 * table, TCP traffic issues, classification (every dissector probed), flow records made and
 * handed to the privacy guard as flows end. With {@code events=false} (the default of every run)
 * the guard has no output, so nothing asks for events; with {@code events=true} one output takes
 * events (and discards what it gets), so the dissectors keep transactions. Allocation per packet
 * here includes what is made once per flow (inspection state, records), spread over its packets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class WorkerBenchmark {
    static final int CHUNK = 1 << 12;

    @Param({"false"})
    public boolean events;

    private SyntheticTraffic traffic;
    private final Packet packet = new Packet();
    private Worker worker;
    private PrivacyGuard guard;
    private Path state;
    private int cursor;
    private long clock;

    /** An output that takes events and drops everything it gets. */
    static final class Discard implements FlowSink {
        @Override
        public void accept(Released<? extends ExportRecord> record) {
        }

        @Override
        public boolean takesEvents() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        traffic = SyntheticTraffic.generate(SyntheticTraffic.DEFAULT_PACKETS, 42);
        packet.linkType = LinkType.ETHERNET;
        state = Files.createTempDirectory("fathom-bench-worker");
        PrivacyPolicy policy = PrivacyPolicy.defaults().withAuditLog(state.resolve("audit.log"))
                .withKeyFile(state.resolve("pseudonym.key"));
        guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), events ? List.of(new Discard()) : List.of());
        AnalysisOptions options = AnalysisOptions.defaults();
        worker = new Worker(0, options, options.flows().maxFlows(), guard, new PacketAnalyzer[0]);
        // one whole pass first: the flow table and the classifier's state reach their steady size
        for (int i = 0; i < traffic.count; i += CHUNK) {
            packets();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        worker.finish();
        guard.close();
        try (var s = Files.walk(state)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public long packets() {
        SyntheticTraffic t = traffic;
        Packet p = packet;
        for (int i = 0; i < CHUNK; i++) {
            int c = cursor;
            if (c + 1 == t.count) {
                cursor = 0;
                // each pass later than the last (by the capture's span and a second): flows end and begin
                clock += t.timestampNanos[c] - t.timestampNanos[0] + 1_000_000_000L;
            } else {
                cursor = c + 1;
            }
            int len = t.length[c];
            System.arraycopy(t.blob, t.offset[c], p.data, 0, len);
            p.length = p.frameLength = len;
            p.wireLength = len;
            p.timestampNanos = clock + t.timestampNanos[c];
            worker.packet(p);
        }
        return worker.flows;
    }
}
