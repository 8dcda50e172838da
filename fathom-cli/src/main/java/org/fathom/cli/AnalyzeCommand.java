package org.fathom.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fathom.capture.CaptureException;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.flow.FlowConfig;
import org.fathom.output.AsyncSink;
import org.fathom.output.JsonLinesFlowSink;
import org.fathom.output.SinkException;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.Engine;
import org.fathom.pipeline.Progress;
import org.fathom.record.FlowSink;
import org.fathom.record.RecordKind;
import org.fathom.output.JsonLinesDirectorySink;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze",
        mixinStandardHelpOptions = true,
        description = {
            "Analyses capture files or folders of them and prints a summary.",
            "",
            "Captures are pcap or pcapng, recognised by content, not by name. Flows are tracked in both "
                    + "directions and classified; VoIP calls and attacks are analysed across flows; records (flows, "
                    + "calls, alerts, aggregates) are written as JSON lines through the privacy guard (see --privacy).",
        },
        footer = {
            "",
            "Exit status: 0 ok; 1 partial input (damaged capture, non-capture file in a folder);",
            "2 usage error (bad option, or a named input missing or not a capture).",
        },
        sortOptions = false)
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "Capture files or folders (searched recursively).")
    List<Path> inputs;

    @Option(names = "--flows", paramLabel = "FILE", description = "Write all flow records to FILE as JSON lines ('-' for standard output; the summary then goes to standard error).")
    String flows;

    @Option(names = "--flows-dir", paramLabel = "DIR", description = "Write the flow records of each capture to DIR/<capture file name>.jsonl.")
    Path flowsDir;

    @Option(names = "--calls", paramLabel = "FILE", description = "Write VoIP call records to FILE as JSON lines ('-' for standard output).")
    String calls;

    @Option(names = "--media-timeout", paramLabel = "SECONDS", description = "An answered call whose media stopped both ways this long ago, without BYE, is dropped (default: ${DEFAULT-VALUE}).")
    long mediaTimeout = 30;

    @Option(names = "--max-calls", paramLabel = "N", description = "Calls tracked at once; beyond it the oldest call ends as in_progress (evicted) (default: ${DEFAULT-VALUE}).")
    int maxCalls = 100_000;

    @Option(names = "--emergency-numbers", paramLabel = "LIST", split = ",", description = "Dialled numbers that make a call an emergency call (default: 112,911,999,000,110,118,119; urn:service:sos always counts).")
    List<String> emergencyNumbers = new ArrayList<>(org.fathom.voip.CallConfig.DEFAULT_EMERGENCY);

    @Option(names = "--alerts", paramLabel = "FILE", description = "Write attack and abuse alerts to FILE as JSON lines ('-' for standard output).")
    String alerts;

    @Option(names = "--alert-thresholds", paramLabel = "FILE", description = "Per-network detection thresholds: lines 'CIDR name=value ...' (see docs/SECURITY.md).")
    Path alertThresholds;

    @Option(names = "--aggregates", paramLabel = "FILE", description = "Aggregate mode: write the published statistics to FILE as JSON lines ('-' for standard output).")
    String aggregates;

    @Option(names = "--sink-queue", paramLabel = "N", description = "Records queued per output. Each output is written by its own thread, so a slow one holds up the analysis only while its queue is full (default: ${DEFAULT-VALUE}).")
    int sinkQueue = AsyncSink.DEFAULT_CAPACITY;

    @Option(names = "--on-full", paramLabel = "block|drop", description = "When an output's queue is full: 'block' waits for room, nothing is lost; 'drop' drops the record and counts it in the summary (default: ${DEFAULT-VALUE}).")
    String onFull = "block";

    @picocli.CommandLine.Mixin
    PrivacyOptions privacy = new PrivacyOptions();

    @Option(names = "--max-flows", paramLabel = "N", description = "Flows held at once; beyond it the stalest flow is evicted and counted (default: ${DEFAULT-VALUE}).")
    int maxFlows = FlowConfig.DEFAULT_MAX_FLOWS;

    @Option(names = "--tcp-timeout", paramLabel = "SECONDS", description = "Idle timeout of established TCP flows (default: ${DEFAULT-VALUE}).")
    double tcpTimeout = FlowConfig.DEFAULTS.tcpTimeoutNanos() / 1e9;

    @Option(names = "--udp-timeout", paramLabel = "SECONDS", description = "Idle timeout of UDP flows (default: ${DEFAULT-VALUE}).")
    double udpTimeout = FlowConfig.DEFAULTS.udpTimeoutNanos() / 1e9;

    @Option(names = "--other-timeout", paramLabel = "SECONDS", description = "Idle timeout of ICMP and other flows (default: ${DEFAULT-VALUE}).")
    double otherTimeout = FlowConfig.DEFAULTS.otherTimeoutNanos() / 1e9;

    @Option(names = "--active-timeout", paramLabel = "SECONDS", description = "A flow that lives longer than this also emits an interim record (end_reason active) every SECONDS; counters of a flow's later records are deltas since the previous one. 0 = off (default: ${DEFAULT-VALUE}).")
    double activeTimeout = 0;

    @Option(names = {"-w", "--workers"}, paramLabel = "N", description = "Worker threads (default: the number of available cores, ${DEFAULT-VALUE} here). Results do not depend on it.")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--services", paramLabel = "FILE", description = "Add or override service rules (lines 'suffix application category', see docs/CLASSIFICATION.md).")
    List<Path> servicesFiles = new ArrayList<>();

    @Option(names = "--addresses", paramLabel = "FILE", description = "Add or override address rules (lines 'cidr application category').")
    List<Path> addressesFiles = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "Print no summary and no progress. Warnings and errors still go to standard error.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (flows != null && flowsDir != null) {
            throw new UserError("--flows and --flows-dir cannot be used together");
        }
        FlowConfig flowConfig;
        try {
            flowConfig = FlowConfig.DEFAULTS.withMaxFlows(maxFlows)
                    .withTimeouts(nanos("--tcp-timeout", tcpTimeout), nanos("--udp-timeout", udpTimeout),
                            nanos("--other-timeout", otherTimeout))
                    .withActiveTimeout(activeTimeout == 0 ? 0 : nanos("--active-timeout", activeTimeout));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (mediaTimeout < 1 || maxCalls < 1) {
            throw new UserError("--media-timeout and --max-calls must be at least 1");
        }
        org.fathom.voip.CallConfig callConfig = org.fathom.voip.CallConfig.defaults()
                .withMediaTimeout(java.time.Duration.ofSeconds(mediaTimeout)).withMaxDialogs(maxCalls)
                .withEmergencyNumbers(new java.util.HashSet<>(emergencyNumbers));
        org.fathom.voip.CallStats callStats = new org.fathom.voip.CallStats();
        // always on, so the summary has its calls section; cheap for traffic that is not SIP
        AnalysisOptions options = catalogs(AnalysisOptions.defaults().withFlows(flowConfig))
                .withStandardAnalyzers(callConfig, callStats, alertThresholds == null ? List.of() : thresholdRules());
        if (workers < 1 || workers > 256) {
            throw new UserError("--workers must be between 1 and 256, not " + workers);
        }
        if (sinkQueue < 1 || sinkQueue > MAX_SINK_QUEUE) {
            throw new UserError("--sink-queue must be between 1 and " + MAX_SINK_QUEUE + ", not " + sinkQueue);
        }
        AsyncSink.Overflow overflow;
        try {
            overflow = AsyncSink.Overflow.parse(onFull);
        } catch (IllegalArgumentException e) {
            throw new UserError("--on-full: " + e.getMessage());
        }
        boolean summaryToStderr = "-".equals(flows) || "-".equals(aggregates) || "-".equals(calls) || "-".equals(alerts);
        PrintStream report = summaryToStderr ? System.err : System.out;

        int status = Main.EXIT_OK;
        List<Path> captures = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(captures::add);
                } catch (IOException | UncheckedIOException e) {
                    System.err.println("fathom: " + in + ": cannot read folder (" + message(e) + ")");
                    status = Main.EXIT_USAGE;
                }
            } else if (!Files.exists(in)) {
                System.err.println("fathom: " + in + ": no such file or folder");
                status = Main.EXIT_USAGE;
            } else {
                captures.add(in);
            }
        }
        if (flowsDir != null) {
            try {
                Files.createDirectories(flowsDir);
            } catch (IOException e) {
                throw new UserError(flowsDir + ": cannot create folder (" + message(e) + ")");
            }
        }

        PrivacyPolicy policy = privacy.policy(flows != null || flowsDir != null, aggregates != null);
        AuditLog audit;
        try {
            audit = AuditLog.open(policy.auditLog());
        } catch (IOException e) {
            throw new UserError("audit log " + policy.auditLog() + ": cannot open (" + message(e) + ")");
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }

        AnalysisSummary summary = new AnalysisSummary();

        ProgressLine progress = quiet ? null : ProgressLine.forTerminal();
        List<String> skipped = new ArrayList<>();
        String writing = "-".equals(flows) ? "standard output" : flows != null ? flows : aggregates;   // for messages
        java.util.Map<String, String> contents = new java.util.HashMap<>();   // output name -> what it holds, for messages
        List<FlowSink> sinks = new ArrayList<>();
        // every output behind its own queue and thread; the summary's table stays synchronous (it
        // keeps a few records in memory and must have seen all of them when the summary prints)
        List<AsyncSink> outputs = new ArrayList<>();
        JsonLinesDirectorySink dirSink = null;
        AsyncSink dirOutput = null;
        SummaryTable table = new SummaryTable();
        sinks.add(table);
        if (flows != null) {
            sinks.add(queued(outputs, flows, openSink(flows), overflow));
            contents.put(outputs.getLast().name(), "flow records");
        }
        if (aggregates != null) {
            sinks.add(queued(outputs, aggregates, openSink(aggregates, java.util.EnumSet.of(RecordKind.AGGREGATE)), overflow));
            contents.put(outputs.getLast().name(), "aggregates");
        }
        if (calls != null) {
            sinks.add(queued(outputs, calls, openSink(calls, java.util.EnumSet.of(RecordKind.CALL)), overflow));
            contents.put(outputs.getLast().name(), "call records");
        }
        if (alerts != null) {
            sinks.add(queued(outputs, alerts, openSink(alerts, java.util.EnumSet.of(RecordKind.ALERT)), overflow));
            contents.put(outputs.getLast().name(), "alerts");
        }
        if (flowsDir != null) {
            dirSink = new JsonLinesDirectorySink(flowsDir);
            dirOutput = queued(outputs, flowsDir.toString(), dirSink, overflow);
            sinks.add(dirOutput);
            contents.put(dirOutput.name(), "flow records");
            writing = flowsDir.toString();
        }
        java.util.Set<String> dirNames = new java.util.HashSet<>();
        PrivacyGuard guard;
        try {
            guard = new PrivacyGuard(policy, audit, sinks);
        } catch (IOException e) {
            closeQuietly(outputs);
            throw new UserError("privacy key " + policy.keyFile() + ": " + message(e));
        }
        Engine engine = new Engine(options, workers, guard);
        try (guard) {
            for (Path capture : captures) {
                Progress shown = progress == null ? Progress.NONE : progress;
                try {
                    if (dirSink != null) {
                        String name = capture.getFileName().toString();
                        if (!dirNames.add(name)) {
                            // two captures of the same name in different folders: keep both
                            int k = 2;
                            while (!dirNames.add(name + "." + k)) {
                                k++;
                            }
                            System.err.println("fathom: " + capture + ": another capture is also named " + name
                                    + "; its records go to " + name + "." + k + ".jsonl");
                            name = name + "." + k;
                        }
                        dirOutput.flush();   // the sink's thread is idle until the next record
                        writing = flowsDir.resolve(name + ".jsonl").toString();
                        dirSink.startCapture(name);
                    }
                    try (CaptureReader source = CaptureFiles.open(capture)) {
                        engine.run(source, summary, shown);
                    }
                } catch (CaptureException e) {
                    boolean named = inputs.contains(capture);
                    skipped.add(e.getMessage());   // said on standard error at the end, similar ones collapsed
                    status = Math.max(status, named ? Main.EXIT_USAGE : Main.EXIT_PARTIAL);
                } finally {
                    if (dirSink != null) {
                        dirOutput.flush();   // this capture's records into its file, then close it
                        dirSink.finishCapture();
                    }
                }
                if (progress != null) {
                    progress.clear();
                }
            }
        } catch (IOException e) {
            throw writeFailure(e, writing, dirOutput, contents);
        } catch (RuntimeException e) {
            // a failed write arrives wrapped: UncheckedIOException from PrivacyGuard.emit around the
            // output's SinkException, or the JSON writer's own unchecked exception around the IOException
            IOException cause = ioCause(e);
            if (cause == null) {
                throw e;
            }
            throw writeFailure(cause, writing, dirOutput, contents);
        }
        if (summary.partial() && status == Main.EXIT_OK) {
            status = Main.EXIT_PARTIAL;
        }
        Warnings.print(System.err, skipped, summary);
        if (!quiet && !captures.isEmpty()) {
            List<AsyncSink.Stats> exits = new ArrayList<>();
            for (AsyncSink o : outputs) {
                exits.add(o.stats());
            }
            new SummaryReport(summary, skipped, guard, table, callStats, exits).print(report);
            report.flush();
            if (report.checkError()) {   // a PrintStream keeps write errors to itself (> /dev/full, a closed pipe)
                throw UserError.io("cannot write the summary to " + (report == System.err ? "standard error" : "standard output"));
            }
        }
        if (captures.isEmpty() && status == Main.EXIT_OK) {
            System.err.println("fathom: no capture files found");
            status = Main.EXIT_USAGE;
        }
        return status;
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

    private java.util.List<org.fathom.security.AttackDetector.NetworkThresholds> thresholdRules() {
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

    /** Records per output queue at most: a queue is an array of references, 8 bytes each at worst. */
    static final int MAX_SINK_QUEUE = 1 << 24;

    /** The output behind its own queue and thread, named as the user named it. */
    private AsyncSink queued(List<AsyncSink> outputs, String target, FlowSink sink, AsyncSink.Overflow overflow) {
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

    private static FlowSink openSink(String target) {
        return openSink(target, java.util.EnumSet.of(RecordKind.FLOW, RecordKind.AGGREGATE));
    }

    private static FlowSink openSink(String target, java.util.Set<RecordKind> kinds) {
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

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    private static String message(Throwable e) {
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
