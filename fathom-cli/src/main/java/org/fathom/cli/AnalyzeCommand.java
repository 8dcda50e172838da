package org.fathom.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fathom.capture.CaptureException;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.PacketSource;
import org.fathom.output.AsyncSink;
import org.fathom.output.JsonLinesDirectorySink;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.Engine;
import org.fathom.pipeline.Progress;
import org.fathom.privacy.PrivacyGuard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
            "2 usage error (bad option, or a named input missing or not a capture);",
            "3 an output could not be written; 130 stopped by a signal (SIGINT, SIGTERM, SIGHUP):",
            "reading stops, every open flow, call and alert is written as a record, the audit log is closed.",
        },
        sortOptions = false)
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "Capture files or folders (searched recursively).")
    List<Path> inputs;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    ConfigFile.Option config = new ConfigFile.Option();

    /** How long a signal waits for the records to be written before the process ends anyway. */
    private static final long FLUSH_LIMIT_SECONDS = 60;

    /**
     * Runs the analysis; a signal (SIGINT, SIGTERM, SIGHUP) stops reading and lets the engine end
     * every open flow, call and alert as a record, closes the outputs and the audit log, says so on
     * standard error and ends the process with {@link Main#EXIT_INTERRUPTED}: never a half record,
     * never a run without its end in the audit log.
     */
    @Override
    public Integer call() {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger status = new AtomicInteger(Main.EXIT_OK);
        Thread hook = Thread.ofPlatform().name("fathom-stop").unstarted(() -> {
            stop.set(true);
            try {
                if (!done.await(FLUSH_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                    System.err.println("fathom: interrupted, but the records were not all written within "
                            + FLUSH_LIMIT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(status.get() == Main.EXIT_OK || status.get() == Main.EXIT_PARTIAL
                    ? Main.EXIT_INTERRUPTED : status.get());
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            status.set(analyze(stop));
            return status.get();
        } catch (UserError e) {
            status.set(e.status());
            throw e;
        } catch (RuntimeException | Error e) {
            status.set(Main.EXIT_USAGE);
            throw e;
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook ends the process with the run's status
            }
        }
    }

    private int analyze(AtomicBoolean stop) {
        RunOptions.Prepared prepared = run.prepare(0);
        PrintStream report = run.report();

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
                    System.err.println("fathom: " + in + ": cannot read folder (" + RunOptions.message(e) + ")");
                    status = Main.EXIT_USAGE;
                }
            } else if (!Files.exists(in)) {
                System.err.println("fathom: " + in + ": no such file or folder");
                status = Main.EXIT_USAGE;
            } else {
                captures.add(in);
            }
        }
        RunOptions.Opened opened = run.open(prepared);
        Engine engine = opened.engine();
        PrivacyGuard guard = opened.guard();
        JsonLinesDirectorySink dirSink = opened.dirSink();
        AsyncSink dirOutput = opened.dirOutput();
        AnalysisSummary summary = new AnalysisSummary();
        ProgressLine progress = run.quiet ? null : ProgressLine.forTerminal();
        List<String> skipped = new ArrayList<>();
        String writing = opened.writing();   // for messages
        java.util.Set<String> dirNames = new java.util.HashSet<>();
        try (guard) {
            for (Path capture : captures) {
                Progress shown = progress == null ? Progress.NONE : progress;
                try {
                    if (dirSink != null || run.events.eventsDir != null) {
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
                        run.events.startCapture(name);
                        if (dirSink != null) {
                            dirOutput.flush();   // the sink's thread is idle until the next record
                            writing = run.flowsDir.resolve(name + ".jsonl").toString();
                            dirSink.startCapture(name);
                        }
                    }
                    if (stop.get()) {
                        break;
                    }
                    try (CaptureReader file = CaptureFiles.open(capture)) {
                        PacketSource in = new StoppableSource(file, stop);
                        engine.run(run.metrics != null ? run.metrics.count(in) : in, summary, shown);
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
                    run.events.finishCapture();
                }
                if (progress != null) {
                    progress.clear();
                }
            }
        } catch (IOException | RuntimeException e) {
            // a failed write arrives wrapped: UncheckedIOException from PrivacyGuard.emit around the
            // output's SinkException, or the JSON writer's own unchecked exception around the IOException
            UserError u = opened.writeFailure(e, writing);
            if (u == null) {
                throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
            }
            throw u;
        }
        if (summary.partial() && status == Main.EXIT_OK) {
            status = Main.EXIT_PARTIAL;
        }
        if (stop.get()) {
            System.err.printf("fathom: interrupted by a signal after %,d packets; the records so far are complete%n",
                    summary.packets);
        }
        Warnings.print(System.err, skipped, summary);
        if (!run.quiet && !captures.isEmpty()) {
            new SummaryReport(summary, skipped, guard, opened.table(), opened.callStats(), opened.outputStats())
                    .withIpfix(opened.ipfixLine()).withKafka(run.kafka.summaryLine()).withPolicy(run.policyOptions.summary()).print(report);
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
}
