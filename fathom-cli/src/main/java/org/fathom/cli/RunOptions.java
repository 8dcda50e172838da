package org.fathom.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.fathom.flow.FlowConfig;
import org.fathom.output.AsyncSink;
import org.fathom.output.JsonLinesDirectorySink;
import org.fathom.output.JsonLinesFlowSink;
import org.fathom.output.SinkException;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.Engine;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.record.FlowSink;
import org.fathom.record.RecordKind;
import org.fathom.voip.CallConfig;
import org.fathom.voip.CallStats;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs the engine ({@code analyze}, {@code live}): outputs and
 * their queues, VoIP and attack settings, flow limits and timeouts, workers, rule files, privacy.
 * One mixin, so that each option means the same in every command; {@link #prepare} and
 * {@link #open} assemble the one data path ({@link Engine} and {@link PrivacyGuard}) from them.
 */
final class RunOptions {
    @Option(names = "--flows", paramLabel = "FILE", description = "Write all flow records to FILE as JSON lines ('-' for standard output; the summary then goes to standard error).")
    String flows;

    @Option(names = "--flows-dir", paramLabel = "DIR", description = "Write flow records to DIR/<name>.jsonl: one file per capture (analyze), or per run, named after the interfaces and the start time (live: DIR/eth0-20261206T071500Z.jsonl).")
    Path flowsDir;

    @Option(names = "--calls", paramLabel = "FILE", description = "Write VoIP call records to FILE as JSON lines ('-' for standard output).")
    String calls;

    @Option(names = "--media-timeout", paramLabel = "SECONDS", description = "An answered call whose media (comfort noise included) stopped both ways this long ago becomes suspect; it is dropped only if no signalling follows within the dialog timeout, and a later BYE still ends it normally (default: ${DEFAULT-VALUE}).")
    long mediaTimeout = 30;

    @Option(names = "--max-calls", paramLabel = "N", description = "Calls tracked at once; beyond it the oldest call ends as in_progress (evicted) (default: ${DEFAULT-VALUE}).")
    int maxCalls = 100_000;

    @Option(names = "--emergency-numbers", paramLabel = "LIST", split = ",", description = "Dialled numbers that make a call an emergency call (default: 112,911,999,000,110,118,119; urn:service:sos always counts).")
    List<String> emergencyNumbers = new ArrayList<>(CallConfig.DEFAULT_EMERGENCY);

    @Option(names = "--alerts", paramLabel = "FILE", description = "Write attack and abuse alerts to FILE as JSON lines ('-' for standard output).")
    String alerts;

    @Option(names = "--alert-thresholds", paramLabel = "FILE", description = "Per-network detection thresholds: lines 'CIDR name=value ...' (see docs/SECURITY.md).")
    Path alertThresholds;

    @Option(names = "--aggregates", paramLabel = "FILE", description = "Aggregate mode: write the published statistics to FILE as JSON lines ('-' for standard output).")
    String aggregates;

    @Option(names = "--sink-queue", paramLabel = "N", description = "Records queued per output. Each output is written by its own thread, so a slow one holds up the analysis only while its queue is full (default: ${DEFAULT-VALUE}).")
    int sinkQueue = AsyncSink.DEFAULT_CAPACITY;

    @Option(names = "--on-full", paramLabel = "block|drop", description = "When an output's queue is full: 'block' waits for room, nothing is lost; 'drop' drops the record and counts it in the summary (default: block for files and standard output, drop for the --ipfix and --kafka exports).")
    String onFull;

    @Mixin
    PrivacyOptions privacy = new PrivacyOptions();

    @Mixin
    IpfixOptions ipfix = new IpfixOptions();

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    EventsOptions events = new EventsOptions();

    @Mixin
    PolicyOptions policyOptions = new PolicyOptions();

    @Mixin
    StoreOptions store = new StoreOptions();

    @Mixin
    RotationOptions rotation = new RotationOptions();

    @Option(names = "--max-flows", paramLabel = "N", description = "Flows held at once; beyond it the stalest flow is evicted and counted (default: ${DEFAULT-VALUE}).")
    int maxFlows = FlowConfig.DEFAULT_MAX_FLOWS;

    @Option(names = "--tcp-timeout", paramLabel = "SECONDS", description = "Idle timeout of established TCP flows (default: ${DEFAULT-VALUE}).")
    double tcpTimeout = FlowConfig.DEFAULTS.tcpTimeoutNanos() / 1e9;

    @Option(names = "--udp-timeout", paramLabel = "SECONDS", description = "Idle timeout of UDP flows (default: ${DEFAULT-VALUE}).")
    double udpTimeout = FlowConfig.DEFAULTS.udpTimeoutNanos() / 1e9;

    @Option(names = "--other-timeout", paramLabel = "SECONDS", description = "Idle timeout of ICMP and other flows (default: ${DEFAULT-VALUE}).")
    double otherTimeout = FlowConfig.DEFAULTS.otherTimeoutNanos() / 1e9;

    @Option(names = "--active-timeout", paramLabel = "SECONDS", description = "A flow that lives longer than this also emits an interim record (end_reason active) every SECONDS; counters of a flow's later records are deltas since the previous one. 0 = off (default: 0 for analyze, 300 for live).")
    Double activeTimeout;

    @Option(names = {"-w", "--workers"}, paramLabel = "N", description = "Worker threads (default: the number of available cores, ${DEFAULT-VALUE} here). Results do not depend on it.")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--services", paramLabel = "FILE", description = "Add or override service rules (lines 'suffix application category', see docs/CLASSIFICATION.md).")
    List<Path> servicesFiles = new ArrayList<>();

    @Option(names = "--addresses", paramLabel = "FILE", description = "Add or override address rules (lines 'cidr application category').")
    List<Path> addressesFiles = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "Print no summary and no progress. Warnings and errors still go to standard error.")
    boolean quiet;

    /** The attack thresholds of the run, which a reload (SIGHUP) replaces; set by {@link #prepare}. */
    org.fathom.security.AttackDetector.Rules thresholds;

    /** Alerts raised and ended while the run goes on (metrics). */
    final org.fathom.security.AlertCounts alertCounts = new org.fathom.security.AlertCounts();

    /** The run's metrics (/metrics), or null when nothing serves them; set before {@link #prepare}. */
    FathomMetrics metrics;

    /** Records per output queue at most: a queue is an array of references, 8 bytes each at worst. */
    static final int MAX_SINK_QUEUE = 1 << 24;

    /**
     * What {@link #prepare} checked and built: the engine's options, before any file is opened.
     *
     * @param overflow      the policy of the file outputs
     * @param chosen        the policy the user gave with {@code --on-full}, or null
     * @param ipfixTarget   the IPFIX collector, or null
     */
    record Prepared(AnalysisOptions options, CallStats callStats, AsyncSink.Overflow overflow, AsyncSink.Overflow chosen,
                    org.fathom.output.ipfix.IpfixTarget ipfixTarget) {}

    /**
     * Checks every value and builds the engine's options (loading the rule files).
     *
     * @param defaultActiveTimeout seconds of {@code --active-timeout} when not given (0 = off)
     * @throws UserError on any bad value
     */
    Prepared prepare(double defaultActiveTimeout) {
        if (flows != null && flowsDir != null) {
            throw new UserError("--flows and --flows-dir cannot be used together");
        }
        events.check();
        double active = activeTimeout == null ? defaultActiveTimeout : activeTimeout;
        FlowConfig flowConfig;
        try {
            flowConfig = FlowConfig.DEFAULTS.withMaxFlows(maxFlows)
                    .withTimeouts(nanos("--tcp-timeout", tcpTimeout), nanos("--udp-timeout", udpTimeout),
                            nanos("--other-timeout", otherTimeout))
                    .withActiveTimeout(active == 0 ? 0 : nanos("--active-timeout", active));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (mediaTimeout < 1 || maxCalls < 1) {
            throw new UserError("--media-timeout and --max-calls must be at least 1");
        }
        CallConfig callConfig = CallConfig.defaults()
                .withMediaTimeout(java.time.Duration.ofSeconds(mediaTimeout)).withMaxDialogs(maxCalls)
                .withEmergencyNumbers(new java.util.HashSet<>(emergencyNumbers));
        CallStats callStats = new CallStats();
        // always on, so the summary has its calls section; cheap for traffic that is not SIP
        thresholds = new org.fathom.security.AttackDetector.Rules(alertThresholds == null ? List.of() : thresholdRules());
        AnalysisOptions options = catalogs(AnalysisOptions.defaults().withFlows(flowConfig))
                .withStandardAnalyzers(callConfig, callStats, thresholds, alertCounts);
        options = policyOptions.apply(options);
        if (metrics != null) {
            options = metrics.attach(options);
        }
        if (workers < 1 || workers > 256) {
            throw new UserError("--workers must be between 1 and 256, not " + workers);
        }
        if (sinkQueue < 1 || sinkQueue > MAX_SINK_QUEUE) {
            throw new UserError("--sink-queue must be between 1 and " + MAX_SINK_QUEUE + ", not " + sinkQueue);
        }
        AsyncSink.Overflow chosen;
        try {
            chosen = onFull == null ? null : AsyncSink.Overflow.parse(onFull);
        } catch (IllegalArgumentException e) {
            throw new UserError("--on-full: " + e.getMessage());
        }
        org.fathom.output.ipfix.IpfixTarget ipfixTarget = ipfix.enabled() ? ipfix.target() : null;
        kafka.check();
        return new Prepared(options, callStats, chosen == null ? AsyncSink.Overflow.BLOCK : chosen, chosen, ipfixTarget);
    }

    /** Where the summary goes: standard error when an output is standard output. */
    PrintStream report() {
        boolean toStderr = "-".equals(flows) || "-".equals(aggregates) || "-".equals(calls) || "-".equals(alerts)
                || events.toStdout()
                || "-".equals(policyOptions.verdicts);
        return toStderr ? System.err : System.out;
    }

    /**
     * Opens the outputs, the audit log and the privacy guard, and assembles the engine: the one data
     * path of every command.
     *
     * @throws UserError when an output, the audit log or the key cannot be opened
     */
    Opened open(Prepared prepared) {
        if (flowsDir != null) {
            try {
                Files.createDirectories(flowsDir);
            } catch (IOException e) {
                throw new UserError(flowsDir + ": cannot create folder (" + message(e) + ")");
            }
        }
        PrivacyPolicy policy = privacy.policy(flows != null || flowsDir != null, aggregates != null);
        ipfix.check(policy);
        events.check(policy);
        org.fathom.output.Rotation rotating = rotation.rotation();
        if (rotating != null && flowsDir == null && !isFile(flows) && !isFile(calls) && !isFile(alerts)
                && !isFile(policyOptions.verdicts)) {
            throw new UserError("--rotate and --rotate-size need a file output to rotate (--flows FILE, --flows-dir, --calls, --alerts, --verdicts)");
        }
        AuditLog audit;
        try {
            audit = AuditLog.open(policy.auditLog());
        } catch (IOException e) {
            throw new UserError("audit log " + policy.auditLog() + ": cannot open (" + message(e) + ")");
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        List<FlowSink> sinks = new ArrayList<>();
        // every output behind its own queue and thread; the summary's table stays synchronous (it
        // keeps a few records in memory and must have seen all of them when the summary prints)
        List<AsyncSink> outputs = new ArrayList<>();
        SummaryTable table = new SummaryTable();
        sinks.add(table);
        if (metrics != null) {
            sinks.add(metrics.sink());   // synchronous, like the table: a few counters per record
        }
        AsyncSink.Overflow overflow = prepared.overflow();
        java.util.Map<String, String> contents = new java.util.HashMap<>();   // output name -> what it holds, for messages
        FlowSink ipfixSink = null;
        if (flows != null) {
            sinks.add(queued(outputs, flows, openSink(flows, EnumSet.of(RecordKind.FLOW, RecordKind.AGGREGATE), rotating), overflow));
            contents.put(outputs.getLast().name(), "flow records");
        }
        if (aggregates != null) {
            sinks.add(queued(outputs, aggregates, openSink(aggregates, EnumSet.of(RecordKind.AGGREGATE), null), overflow));
            contents.put(outputs.getLast().name(), "aggregates");
        }
        if (calls != null) {
            sinks.add(queued(outputs, calls, openSink(calls, EnumSet.of(RecordKind.CALL), rotating), overflow));
            contents.put(outputs.getLast().name(), "call records");
        }
        if (alerts != null) {
            sinks.add(queued(outputs, alerts, openSink(alerts, EnumSet.of(RecordKind.ALERT), rotating), overflow));
            contents.put(outputs.getLast().name(), "alerts");
        }
        if (policyOptions.verdicts != null) {
            sinks.add(queued(outputs, policyOptions.verdicts, openSink(policyOptions.verdicts, EnumSet.of(RecordKind.VERDICT), rotating), overflow));
            contents.put(outputs.getLast().name(), "verdicts");
        }
        if (prepared.ipfixTarget() != null) {
            ipfixSink = ipfix.open(prepared.ipfixTarget());
            sinks.add(queued(outputs, "IPFIX " + prepared.ipfixTarget(), ipfixSink, IpfixOptions.overflow(prepared.chosen())));
            contents.put(outputs.getLast().name(), "flow records");
        }
        if (kafka.enabled()) {
            FlowSink kafkaSink;
            try {
                kafkaSink = kafka.open(prepared.chosen());
            } catch (UserError e) {
                closeQuietly(outputs);
                throw e;
            }
            sinks.add(queued(outputs, kafka.name(), kafkaSink, KafkaOptions.overflow(prepared.chosen())));
            contents.put(outputs.getLast().name(), "records");
        }
        events.open(this, sinks, outputs, contents, overflow);
        org.fathom.store.StoreSink storeSink = store.open(audit);
        if (storeSink != null) {
            sinks.add(queued(outputs, "store " + storeSink.store().where(), storeSink, overflow));
            contents.put(outputs.getLast().name(), "records");
        }
        JsonLinesDirectorySink dirSink = null;
        AsyncSink dirOutput = null;
        if (flowsDir != null) {
            dirSink = new JsonLinesDirectorySink(flowsDir, rotating);
            dirOutput = queued(outputs, flowsDir.toString(), dirSink, overflow);
            sinks.add(dirOutput);
            contents.put(dirOutput.name(), "flow records");
        }
        PrivacyGuard guard;
        try {
            guard = new PrivacyGuard(policy, audit, sinks);
        } catch (IOException e) {
            closeQuietly(outputs);
            throw new UserError("privacy key " + policy.keyFile() + ": " + message(e));
        }
        policyOptions.audit(guard.audit());
        if (metrics != null) {
            metrics.guard(guard);
            metrics.calls(prepared.callStats());
            metrics.alerts(alertCounts);
            List<AsyncSink> queues = List.copyOf(outputs);
            metrics.outputs(() -> queues.stream().map(AsyncSink::stats).toList());
        }
        Engine engine = new Engine(prepared.options(), workers, guard);
        String writing = "-".equals(flows) ? "standard output" : flows != null ? flows : flowsDir != null ? flowsDir.toString() : aggregates;
        return new Opened(engine, guard, table, outputs, dirSink, dirOutput, prepared.callStats(), writing, contents,
                ipfixSink instanceof org.fathom.output.ipfix.IpfixSink i ? i : null, prepared.ipfixTarget(), rotating);
    }

    /** The assembled data path and its outputs. */
    record Opened(Engine engine, PrivacyGuard guard, SummaryTable table, List<AsyncSink> outputs,
                  JsonLinesDirectorySink dirSink, AsyncSink dirOutput, CallStats callStats, String writing,
                  java.util.Map<String, String> contents, org.fathom.output.ipfix.IpfixSink ipfix,
                  org.fathom.output.ipfix.IpfixTarget ipfixTarget, org.fathom.output.Rotation rotation) {
        /** The IPFIX export's line for the summary, or null without one (read after the guard closed). */
        String ipfixLine() {
            if (ipfix == null) {
                return null;
            }
            org.fathom.output.ipfix.IpfixSink.Stats st = ipfix.stats();
            StringBuilder b = new StringBuilder(String.format("IPFIX      %s: %,d data records in %,d messages", ipfixTarget,
                    st.dataRecords(), st.messages()));
            if (st.lostMessages() > 0) {
                b.append(String.format(", %,d messages lost (no collector listening?)", st.lostMessages()));
            }
            if (st.reconnects() > 0) {
                b.append(String.format(", %,d reconnects", st.reconnects()));
            }
            return b.toString();
        }

        List<AsyncSink.Stats> outputStats() {
            List<AsyncSink.Stats> exits = new ArrayList<>();
            for (AsyncSink o : outputs) {
                exits.add(o.stats());
            }
            return exits;
        }

        /**
         * A failed write as the user's error: the output it came from (for the per-capture folder,
         * the file being written) and why. Null when {@code e} is not a write failure.
         */
        UserError writeFailure(Throwable e, String writingNow) {
            IOException cause = ioCause(e);
            if (cause == null) {
                return null;
            }
            return RunOptions.writeFailure(cause, writingNow, dirOutput, contents);
        }
    }

    /** Reloads the rule files into the running engine of {@code prepared} (SIGHUP in live). */
    RuleReloader reloader(Prepared prepared, org.fathom.privacy.AuditLog audit) {
        return new RuleReloader(servicesFiles, addressesFiles, alertThresholds, prepared.options().services(),
                prepared.options().addresses(), thresholds, audit);
    }

    /** The bundled catalogs with the user's rule files added, in the order given. */
    private AnalysisOptions catalogs(AnalysisOptions o) {
        for (Path f : servicesFiles) {
            try {
                o.services().load(f);
            } catch (IOException e) {
                throw new UserError(f + ": cannot read service rules (" + message(e) + ")");
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        for (Path f : addressesFiles) {
            try {
                o.addresses().load(f);
            } catch (IOException e) {
                throw new UserError(f + ": cannot read address rules (" + message(e) + ")");
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        return o;
    }

    private List<org.fathom.security.AttackDetector.NetworkThresholds> thresholdRules() {
        try {
            return org.fathom.security.ThresholdRules.load(alertThresholds);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static long nanos(String option, double seconds) {
        if (!(seconds > 0) || seconds > 1e9) {
            throw new UserError(option + " must be a positive number of seconds, not " + seconds);
        }
        return (long) (seconds * 1e9);
    }

    /** The output behind its own queue and thread, named as the user named it. */
    AsyncSink queued(List<AsyncSink> outputs, String target, FlowSink sink, AsyncSink.Overflow overflow) {
        AsyncSink a = new AsyncSink("-".equals(target) ? "standard output" : target, sink, sinkQueue, overflow);
        outputs.add(a);
        return a;
    }

    /**
     * A failed write, in one line naming what was written and where: the output an output's
     * thread names, except for the per-capture folder, where it is the capture's file being
     * written. Exit status 3.
     */
    private static UserError writeFailure(IOException e, String writing, AsyncSink dirOutput, java.util.Map<String, String> contents) {
        String output = writing;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SinkException s) {
                output = dirOutput != null && s.sink().equals(dirOutput.name()) ? writing : s.sink();
                String what = contents.get(s.sink());
                return UserError.io("cannot write " + (what == null ? "records" : what) + " to " + output + " (" + message(e) + ")");
            }
        }
        String what = output == null ? null : contents.get(output);
        if (what == null && dirOutput != null && output != null && !contents.containsKey(output)) {
            what = "flow records";   // a capture's file in the --flows-dir folder
        }
        return UserError.io("cannot write " + (what == null ? "records" : what) + " to " + (output == null ? "the output" : output)
                + " (" + message(e) + ")");
    }

    private static void closeQuietly(List<AsyncSink> outputs) {
        for (AsyncSink o : outputs) {
            try {
                o.close();
            } catch (IOException | RuntimeException e) {
                // the run has failed already; this is only to release the files
            }
        }
    }

    static FlowSink openSink(String target, Set<RecordKind> kinds) {
        return openSink(target, kinds, null);
    }

    private static boolean isFile(String target) {
        return target != null && !"-".equals(target);
    }

    private static FlowSink openSink(String target, Set<RecordKind> kinds, org.fathom.output.Rotation rotation) {
        if (rotation != null && isFile(target)) {
            Path parent = Path.of(target).toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new UserError(target + ": folder " + parent + " does not exist");
            }
            return org.fathom.output.RotatingSink.forFile(Path.of(target), kinds, rotation);
        }
        if ("-".equals(target)) {
            return new JsonLinesFlowSink(new BufferedOutputStream(new NonClosingStream(System.out), 1 << 16), true, kinds);
        }
        try {
            Path p = Path.of(target);
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new UserError(target + ": folder " + parent + " does not exist");
            }
            return new JsonLinesFlowSink(org.fathom.output.WholeLineFile.open(p), true, kinds);
        } catch (IOException e) {
            throw UserError.io(target + ": cannot write (" + message(e) + ")");
        }
    }

    static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /**
     * Standard output stays open for the summary after the records are flushed. A PrintStream
     * swallows write errors (closed pipe, full disk), so they are looked for after each write and
     * turned back into an IOException: records must not be lost silently.
     */
    private static final class NonClosingStream extends OutputStream {
        private final PrintStream out;

        NonClosingStream(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            check();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            check();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
            check();
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private void check() throws IOException {
            if (out.checkError()) {
                throw new IOException("closed or full");
            }
        }
    }
}
