package org.fathom.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.fathom.capture.ForwardingSource;
import org.fathom.capture.Packet;
import org.fathom.capture.PacketSource;
import org.fathom.capture.libpcap.LiveSource;
import org.fathom.flow.FlowEnd;
import org.fathom.flow.FlowTable;
import org.fathom.output.AsyncSink;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.lifecycle.FlowEvents;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.record.AggregateRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.Released;
import org.fathom.security.AlertCounts;
import org.fathom.voip.CallStats;

/**
 * The run's metrics for Prometheus ({@code /metrics}, text format), kept with the Prometheus Java
 * client library. Aggregates only, never a subscriber address or any other personal data as a
 * label: labels are interface and output names, flow end reasons, applications and categories,
 * call outcomes and alert kinds.
 *
 * <p>Nothing is done per packet beyond what the run already does, except two counters: the
 * source is wrapped ({@link #count}) so packets and bytes are counted with one plain store each on
 * the reading thread. Everything else is read when scraped: libpcap's counters as the reading
 * thread last read them ({@link LiveSource#lastStats}), the output queues' counters, the call
 * statistics, the alerts the detector raised, the privacy guard's counters, and counters per worker of flows started and ended
 * (a {@link FlowEvents} listener, {@link #attach}). Traffic per application and category and the post-dial delay and MOS histograms come from the records the privacy guard released
 * ({@link #sink}): what /metrics shows is what the guard let out.
 *
 * <p>Use: set {@code RunOptions.metrics} before the run (the command then wires the pieces) and
 * serve {@link #handler()} at {@code /metrics}. See docs/OPERATIONS.md for every metric.
 */
public final class FathomMetrics {
    /** Distinct application/category label pairs kept; more are counted as application "other". */
    static final int MAX_APPLICATIONS = 500;
    /** Post-dial delay buckets, seconds. */
    static final double[] PDD_BUCKETS = {0.5, 1, 2, 3, 5, 8, 13, 20, 30};
    /** MOS buckets: the summary's classes (2.6, 3.1, 3.6, 4.0, 4.3) and the top of the scale. */
    static final double[] MOS_BUCKETS = {1.0, 2.0, 2.6, 3.1, 3.6, 4.0, 4.3, 4.5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    // per packet, on the reading thread: one writer, read at scrape time
    private final Counting counting = new Counting();
    // per worker: flows started and ended by reason, each worker on its own cache lines
    private static final int STRIDE = 16;
    private static final int STARTED = FlowEnd.values().length;
    private final long[] flowCounts = new long[256 * STRIDE];
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    // from released records (the guard's exit serialises them), read at scrape time under this lock
    private final Object lock = new Object();
    private final Map<String, long[]> traffic = new HashMap<>();   // "application\0category" -> packets, bytes, flows

    private final Histogram pdd;
    private final Histogram mos;

    // the run's parts, set when known
    private volatile LiveSource live;
    private volatile Supplier<List<AsyncSink.Stats>> outputs = List::of;
    private volatile CallStats calls;
    private volatile AlertCounts alerts;
    private volatile PrivacyGuard guard;

    public FathomMetrics() {
        CounterWithCallback.builder().name("fathom_packets").help("Frames read from the source (interfaces or capture files)")
                .callback(cb -> cb.call(counting.frames())).register(registry);
        CounterWithCallback.builder().name("fathom_bytes").help("Bytes of the frames read, as on the wire")
                .callback(cb -> cb.call(counting.bytes())).register(registry);
        CounterWithCallback.builder().name("fathom_capture_received_packets")
                .help("Frames the kernel's capture received, per interface (libpcap ps_recv)").labelNames("interface")
                .callback(cb -> {
                    for (LiveSource.InterfaceStats s : liveStats()) {
                        cb.call(s.received(), s.name());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("fathom_capture_dropped_packets")
                .help("Frames lost before Fathom read them, per interface: where=kernel (capture buffer full, ps_drop), "
                        + "where=interface (the NIC or driver, ps_ifdrop)")
                .labelNames("interface", "where")
                .callback(cb -> {
                    for (LiveSource.InterfaceStats s : liveStats()) {
                        cb.call(s.dropped(), s.name(), "kernel");
                        cb.call(s.ifDropped(), s.name(), "interface");
                    }
                }).register(registry);
        CounterWithCallback.builder().name("fathom_output_queue_records")
                .help("Records that passed through each output's queue to the output (every released record, also "
                        + "kinds the output does not write)").labelNames("output")
                .callback(cb -> {
                    for (AsyncSink.Stats s : outputs.get()) {
                        cb.call(s.written(), s.name());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("fathom_output_dropped_records")
                .help("Records an output's queue dropped because it was full (--on-full drop)").labelNames("output")
                .callback(cb -> {
                    for (AsyncSink.Stats s : outputs.get()) {
                        cb.call(s.dropped(), s.name());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("fathom_output_wait_seconds")
                .help("Time the analysis waited for room in an output's full queue (--on-full block)").labelNames("output")
                .callback(cb -> {
                    for (AsyncSink.Stats s : outputs.get()) {
                        cb.call(s.waitedNanos() / 1e9, s.name());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("fathom_flows_started").help("Flows started")
                .callback(cb -> cb.call(flowsStarted())).register(registry);
        CounterWithCallback.builder().name("fathom_flows_ended")
                .help("Flows ended, by end reason (idle, fin, rst, evicted, end_of_input)").labelNames("reason")
                .callback(cb -> {
                    for (FlowEnd e : FlowEnd.values()) {
                        if (e != FlowEnd.ACTIVE) {
                            cb.call(flowsEnded(e), e.label());
                        }
                    }
                }).register(registry);
        CounterWithCallback.builder().name("fathom_flows_evicted")
                .help("Flows ended early because the flow table was full (--max-flows)")
                .callback(cb -> cb.call(flowsEnded(FlowEnd.EVICTED))).register(registry);
        GaugeWithCallback.builder().name("fathom_flows_active").help("Flows open now (started and not ended)")
                .callback(cb -> cb.call(flowsActive())).register(registry);
        CounterWithCallback.builder().name("fathom_traffic_packets")
                .help("Packets of released flow records, by application and category (interim records included)")
                .labelNames("application", "category")
                .callback(cb -> trafficColumn(0, cb)).register(registry);
        CounterWithCallback.builder().name("fathom_traffic_bytes")
                .help("Bytes of released flow records, by application and category (interim records included)")
                .labelNames("application", "category")
                .callback(cb -> trafficColumn(1, cb)).register(registry);
        CounterWithCallback.builder().name("fathom_traffic_flows")
                .help("Flows of released flow records, by application and category (interim records not counted again)")
                .labelNames("application", "category")
                .callback(cb -> trafficColumn(2, cb)).register(registry);
        CounterWithCallback.builder().name("fathom_call_attempts").help("Call attempts (SIP INVITE dialogs) ended")
                .callback(cb -> withCalls(c -> cb.call(c.attempts()))).register(registry);
        CounterWithCallback.builder().name("fathom_calls_answered").help("Calls answered")
                .callback(cb -> withCalls(c -> cb.call(c.answered()))).register(registry);
        CounterWithCallback.builder().name("fathom_calls").help("Calls by outcome").labelNames("outcome")
                .callback(cb -> withCalls(c -> {
                    for (String o : CallStats.OUTCOMES) {
                        cb.call(c.count(o), o);
                    }
                })).register(registry);
        CounterWithCallback.builder().name("fathom_calls_blocked")
                .help("Calls blocked by the network (outcomes rejected and failed)")
                .callback(cb -> withCalls(c -> cb.call(c.blocked()))).register(registry);
        CounterWithCallback.builder().name("fathom_calls_dropped")
                .help("Answered calls that ended abnormally (outcome dropped)")
                .callback(cb -> withCalls(c -> cb.call(c.count("dropped")))).register(registry);
        CounterWithCallback.builder().name("fathom_calls_emergency").help("Emergency calls (any outcome)")
                .callback(cb -> withCalls(c -> cb.call(c.emergency()))).register(registry);
        GaugeWithCallback.builder().name("fathom_call_asr_ratio")
                .help("Answer-seizure ratio of the run's calls: answered / decided attempts (0..1)")
                .callback(cb -> withCalls(c -> {
                    if (c.decided() > 0) {
                        cb.call(c.asr() / 100);
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("fathom_call_ner_ratio")
                .help("Network effectiveness ratio of the run's calls (ITU-T E.411, 0..1)")
                .callback(cb -> withCalls(c -> {
                    if (c.decided() > 0) {
                        cb.call(c.ner() / 100);
                    }
                })).register(registry);
        pdd = Histogram.builder().name("fathom_call_post_dial_delay_seconds")
                .help("Post-dial delay (INVITE to first ringing) of released call records")
                .classicOnly().classicUpperBounds(PDD_BUCKETS).register(registry);
        mos = Histogram.builder().name("fathom_call_mos")
                .help("Estimated MOS of each RTP stream of released call records")
                .classicOnly().classicUpperBounds(MOS_BUCKETS).register(registry);
        CounterWithCallback.builder().name("fathom_alerts_raised").help("Attack and abuse alerts raised, by kind")
                .labelNames("kind")
                .callback(cb -> {
                    AlertCounts a = alerts;
                    if (a != null) {
                        a.raised().forEach((k, v) -> cb.call(v, k));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("fathom_alerts_active").help("Attacks going on now (alerts raised and not ended), by kind")
                .labelNames("kind")
                .callback(cb -> {
                    AlertCounts a = alerts;
                    if (a != null) {
                        a.active().forEach((k, v) -> cb.call(v, k));
                    }
                }).register(registry);
        CounterWithCallback.builder().name("fathom_privacy_alerts_released").help("Alert records the privacy guard released")
                .callback(cb -> withGuard(c -> cb.call(c.alertsReleased()))).register(registry);
        CounterWithCallback.builder().name("fathom_privacy_flow_records_released").help("Flow records the privacy guard released")
                .callback(cb -> withGuard(c -> cb.call(c.flowsReleased()))).register(registry);
        CounterWithCallback.builder().name("fathom_privacy_records_pseudonymised")
                .help("Released flow records in which subscriber addresses were replaced by pseudonyms")
                .callback(cb -> withGuard(c -> cb.call(c.flowsPseudonymised()))).register(registry);
        CounterWithCallback.builder().name("fathom_privacy_records_identified")
                .help("Flow records released with subscriber identities (identified mode, under an authorisation)")
                .callback(cb -> withGuard(c -> cb.call(c.flowsIdentified()))).register(registry);
        CounterWithCallback.builder().name("fathom_privacy_call_records_released").help("Call records the privacy guard released")
                .callback(cb -> withGuard(c -> cb.call(c.callsReleased()))).register(registry);
        CounterWithCallback.builder().name("fathom_privacy_call_records_withheld")
                .help("Call records withheld (aggregate mode releases no individual call)")
                .callback(cb -> withGuard(c -> cb.call(c.callsWithheld()))).register(registry);
        CounterWithCallback.builder().name("fathom_privacy_suppressed_groups")
                .help("Aggregate groups suppressed for having fewer than k subscribers (aggregate mode; known when published)")
                .callback(cb -> withGuard(c -> cb.call(c.suppressedGroups()))).register(registry);
        GaugeWithCallback.builder().name("fathom_audit_log_entries").help("Entries in the audit log (the hash chain's length)")
                .callback(cb -> {
                    PrivacyGuard g = guard;
                    if (g != null) {
                        cb.call(g.audit().entries());
                    }
                }).register(registry);
    }

    // ------------------------------------------------------------------ wiring

    /** The source, counting frames and bytes as the engine reads them. */
    PacketSource count(PacketSource source) {
        return new CountingSource(source, counting);
    }

    /** The engine's options with the flow counters attached (one listener per worker). */
    AnalysisOptions attach(AnalysisOptions options) {
        return options.withFlowEvents(worker -> new FlowCounter(flowCounts, Math.min(worker, 255) * STRIDE));
    }

    /** The sink that counts released records; give it to the privacy guard with the other sinks. */
    FlowSink sink() {
        return new MetricsSink();
    }

    void live(LiveSource source) {
        this.live = source;
    }

    void outputs(Supplier<List<AsyncSink.Stats>> stats) {
        this.outputs = stats;
    }

    void calls(CallStats stats) {
        this.calls = stats;
    }

    void alerts(AlertCounts counts) {
        this.alerts = counts;
    }

    void guard(PrivacyGuard g) {
        this.guard = g;
    }

    // ------------------------------------------------------------------ exposition

    /** The metrics in Prometheus text format (version 0.0.4). */
    public String scrape() {
        ByteArrayOutputStream b = new ByteArrayOutputStream(8192);
        try {
            writer.write(b, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException(e);   // a byte array does not fail
        }
        return b.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The live counters the dashboard shows beside the store's figures (its "Capture" panel):
     * what was read, what was lost before Fathom read it (the kernel's capture buffer, the
     * interface) and what an output dropped, flows open and evicted. Counts, never addresses.
     */
    public Map<String, Object> status() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("packets", counting.frames());
        m.put("bytes", counting.bytes());
        long kernel = 0;
        long iface = 0;
        long received = 0;
        for (LiveSource.InterfaceStats s : liveStats()) {
            kernel += s.dropped();
            iface += s.ifDropped();
            received += s.received();
        }
        m.put("capture_received", received);
        m.put("capture_dropped_kernel", kernel);
        m.put("capture_dropped_interface", iface);
        long dropped = 0;
        for (AsyncSink.Stats s : outputs.get()) {
            dropped += s.dropped();
        }
        m.put("output_dropped_records", dropped);
        m.put("flows_active", flowsActive());
        m.put("flows_evicted", flowsEnded(FlowEnd.EVICTED));
        return m;
    }

    /** Serves {@link #scrape()} to GET and HEAD requests; anything else is 405. */
    public HttpHandler handler() {
        return this::handle;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try {
                body = scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                // a bug: say so once per scrape, answer 500, keep serving
                System.err.println("fathom: /metrics: " + e);
                ex.sendResponseHeaders(500, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    // ------------------------------------------------------------------ reading

    private List<LiveSource.InterfaceStats> liveStats() {
        LiveSource l = live;
        return l == null ? List.of() : l.lastStats();
    }

    private void withCalls(java.util.function.Consumer<CallStats> f) {
        CallStats c = calls;
        if (c != null) {
            f.accept(c);
        }
    }

    private void withGuard(java.util.function.Consumer<PrivacyGuard.Counters> f) {
        PrivacyGuard g = guard;
        if (g != null) {
            f.accept(g.counters());
        }
    }

    private long flowsStarted() {
        long n = 0;
        for (int w = 0; w < flowCounts.length; w += STRIDE) {
            n += (long) LONGS.getOpaque(flowCounts, w + STARTED);
        }
        return n;
    }

    private long flowsEnded(FlowEnd reason) {
        long n = 0;
        for (int w = 0; w < flowCounts.length; w += STRIDE) {
            n += (long) LONGS.getOpaque(flowCounts, w + reason.ordinal());
        }
        return n;
    }

    long flowsActive() {
        long ended = 0;
        for (FlowEnd e : FlowEnd.values()) {
            if (e != FlowEnd.ACTIVE) {
                ended += flowsEnded(e);
            }
        }
        return Math.max(0, flowsStarted() - ended);
    }

    private void trafficColumn(int column, CounterWithCallback.Callback cb) {
        List<String[]> keys = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        synchronized (lock) {
            traffic.forEach((k, v) -> {
                keys.add(k.split("\0", 2));
                values.add(v[column]);
            });
        }
        for (int i = 0; i < keys.size(); i++) {
            cb.call(values.get(i), keys.get(i)[0], keys.get(i)[1]);
        }
    }

    // ------------------------------------------------------------------ collecting

    /** Released records: traffic per application, alerts, call histograms. Called by the guard's exit, one at a time. */
    private final class MetricsSink implements FlowSink {
        @Override
        public void accept(Released<? extends ExportRecord> released) {
            switch (released.record()) {
                case FlowRecord f -> addTraffic(f.application(), f.category(), f.packetsC2s() + f.packetsS2c(),
                        f.bytesC2s() + f.bytesS2c(), FlowEnd.ACTIVE.label().equals(f.endReason()) ? 0 : 1);
                case AggregateRecord a -> {
                    // aggregate mode: the k-suppressed rows are all that is released (at the end of the run)
                    if (!a.protocol().equals("*")) {
                        addTraffic(a.application(), a.category(), a.packets(), a.bytesUp() + a.bytesDown(), a.flows());
                    }
                }
                case CallRecord c -> {
                    if (c.pddMs() >= 0) {
                        pdd.observe(c.pddMs() / 1000.0);
                    }
                    for (CallRecord.MediaStream m : c.media()) {
                        if (Double.isFinite(m.mos()) && m.mos() > 0) {
                            mos.observe(m.mos());
                        }
                    }
                }
                default -> { }
            }
        }

        private void addTraffic(String application, String category, long packets, long bytes, long flows) {
            String key = application + "\0" + category;
            synchronized (lock) {
                long[] t = traffic.get(key);
                if (t == null) {
                    if (traffic.size() >= MAX_APPLICATIONS) {
                        key = "other\0" + category;
                        t = traffic.get(key);
                    }
                    if (t == null) {
                        t = new long[3];
                        traffic.put(key, t);
                    }
                }
                t[0] += packets;
                t[1] += bytes;
                t[2] += flows;
            }
        }

        @Override
        public void close() {
        }
    }

    /** Frames and bytes read: written by the reading thread only, read at scrape time. */
    private static final class Counting {
        private static final VarHandle FRAMES;
        private static final VarHandle BYTES;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                FRAMES = l.findVarHandle(Counting.class, "frames", long.class);
                BYTES = l.findVarHandle(Counting.class, "bytes", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")   // through the VarHandles
        private long frames;
        @SuppressWarnings("unused")
        private long bytes;

        void add(int wireLength) {
            // one writer: a plain read and an opaque store (no fence, no lock-prefixed instruction)
            FRAMES.setOpaque(this, (long) FRAMES.get(this) + 1);
            BYTES.setOpaque(this, (long) BYTES.get(this) + wireLength);
        }

        long frames() {
            return (long) FRAMES.getOpaque(this);
        }

        long bytes() {
            return (long) BYTES.getOpaque(this);
        }
    }

    private static final class CountingSource extends ForwardingSource {
        private final Counting counting;

        CountingSource(PacketSource source, Counting counting) {
            super(source);
            this.counting = counting;
        }

        @Override
        public int read(Packet p) {
            int r = source.read(p);
            if (r == PACKET) {
                counting.add(p.wireLength);
            }
            return r;
        }
    }

    /** One worker's flow counters: slots of its own, written by its thread only. */
    private record FlowCounter(long[] counts, int base) implements FlowEvents {
        @Override
        public void started(FlowTable table, int flow) {
            bump(base + STARTED);
        }

        @Override
        public void ended(FlowTable table, int flow, FlowEnd reason) {
            bump(base + reason.ordinal());
        }

        private void bump(int i) {
            LONGS.setOpaque(counts, i, (long) LONGS.get(counts, i) + 1);
        }
    }
}
