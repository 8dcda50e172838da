package org.fathom.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import org.fathom.capture.Packet;
import org.fathom.capture.libpcap.LiveCaptureException;
import org.fathom.capture.libpcap.LiveSource;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "live",
        mixinStandardHelpOptions = true,
        description = {
            "Captures from network interfaces (libpcap) and analyses the traffic until stopped.",
            "",
            "The same engine and privacy guard as 'analyze', on wall-clock time: idle flows end when "
                    + "their link goes quiet, and a flow that lives long emits an interim record every "
                    + "--active-timeout (300 s here). Several -i interfaces are merged into one stream, so both "
                    + "directions of a flow seen on two interfaces (two taps of one link) meet in one worker.",
            "",
            "SIGINT (Ctrl-C) or SIGTERM stops capture: every open flow, call and alert is written as a record "
                    + "(end_reason end_of_input), the outputs and the audit log are closed, the summary is printed "
                    + "with the packets captured and the kernel's drops, and fathom exits with status 0. "
                    + "SIGHUP reads the rule files (--services, --addresses, --alert-thresholds) and the --policy file "
                    + "again without losing any flow, call or alert; a bad file keeps the rules in use and says why on "
                    + "standard error (docs/POLICY.md: reload).",
            "",
            "Needs root, or the capabilities cap_net_raw and cap_net_admin on the java binary "
                    + "(setcap cap_net_raw,cap_net_admin+eip JAVA), and libpcap (Debian: libpcap0.8).",
        },
        footer = {
            "",
            "Examples: fathom live -i eth0 --filter 'not port 22' --flows-dir /var/lib/fathom/flows --alerts alerts.jsonl",
            "          fathom live -r samples/http-loopback.pcap --replay --flows -     (no privileges needed)",
            "          fathom live --config /etc/fathom/live.yaml     (as a service: docs/fathom-live.service, docs/OPERATIONS.md)",
            "",
            "Exit status: 0 stopped cleanly (by a signal); 1 an interface failed during capture;",
            "2 usage error (bad option, no such interface, capture not permitted, libpcap missing, bad filter).",
        },
        sortOptions = false)
final class LiveCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE",
            description = "Interface to capture from; repeat for several (their packets are merged).")
    List<String> interfaces = new ArrayList<>();

    @Option(names = {"-r", "--read"}, paramLabel = "CAPTURE", description = "Instead of interfaces: play this capture file at its own pace (needs --replay); for demos and tests without privileges.")
    java.nio.file.Path replayFile;

    @Option(names = "--replay", description = "With -r: hand each packet on when its time comes, as if it were arriving now.")
    boolean replay;

    @Option(names = "--filter", paramLabel = "BPF", description = "Capture only what this BPF filter expression (tcpdump syntax) accepts, e.g. 'not port 22'.")
    String filter;

    @Option(names = "--snaplen", paramLabel = "N", description = "Bytes captured per frame at most (64..262144; default: ${DEFAULT-VALUE}).")
    int snaplen = LiveSource.Settings.DEFAULT_SNAPLEN;

    @Option(names = "--promiscuous", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Put the interfaces in promiscuous mode (default; --no-promiscuous to capture only traffic to and from this host).")
    boolean promiscuous = true;

    @Option(names = "--buffer-size", paramLabel = "BYTES", description = "Kernel capture buffer per interface: frames wait here while the engine is busy; when it is full the kernel drops and the summary counts it (default: ${DEFAULT-VALUE}).")
    int bufferSize = LiveSource.Settings.DEFAULT_BUFFER;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    HttpOptions http = new HttpOptions();

    @Mixin
    ConfigFile.Option config = new ConfigFile.Option();

    /** Extra routes of the web server beside the dashboard (path to handler, e.g. /metrics). */
    final java.util.Map<String, com.sun.net.httpserver.HttpHandler> httpRoutes = new java.util.LinkedHashMap<>();

    /** libpcap's counters (received, drops) are read this often while capture runs, for the metrics. */
    static final long STATS_INTERVAL_NANOS = 1_000_000_000L;

    /** Growing kernel drops are reported on standard error at most this often. */
    static final long DROP_WARNING_INTERVAL_NANOS = 60_000_000_000L;


    @Override
    public Integer call() {
        if (http.enabled() && run.metrics == null) {
            // /metrics beside the dashboard (docs/OPERATIONS.md): set before prepare, which attaches its flow counters
            run.metrics = new FathomMetrics();
            httpRoutes.putIfAbsent("/metrics", run.metrics.handler());
        }
        RunOptions.Prepared prepared = run.prepare(300);
        if (interfaces.isEmpty() == (replayFile == null)) {
            throw new UserError("give the interfaces to capture from (-i IFACE ...) or a capture to replay (-r CAPTURE --replay)");
        }
        if (replayFile != null && !replay) {
            throw new UserError("-r needs --replay (to read a capture at full speed, use 'fathom analyze')");
        }
        HttpOptions.Prepared web = http.prepare();
        run.store.command = "live";
        run.store.inMemoryForDashboard = web != null;   // without --store, the dashboard's store is in memory
        Source source = replayFile != null ? replaySource() : liveSource();
        RunOptions.Opened opened;
        org.fathom.web.WebServer server = null;
        try {
            opened = run.open(prepared);
            if (run.store.sink() != null) {
                run.store.sink().startMaintenance(java.time.Duration.ofSeconds(2), java.time.Duration.ofMinutes(10));
            }
            if (web != null) {
                server = HttpOptions.start(web, run.store.sink().store(), true, run.metrics == null ? null : run.metrics::status, httpRoutes);
                if (!run.quiet) {
                    System.err.println("fathom: dashboard on " + server.url());
                }
            }
        } catch (RuntimeException e) {
            source.packets().close();
            throw e;
        }
        PrintStream report = run.report();
        // SIGHUP: read the rule files and the policy again, keep flows, calls and alerts
        RuleReloader reloader = run.reloader(prepared, opened.guard().audit());
        org.fathom.web.WebServer dashboard = server;
        return StopOnSignal.run(source.stop(), signalled -> {
            AutoCloseable hangup = RuleReloader.onHangup(PolicyReloader.hangup(reloader,
                    PolicyReloader.of(run.policyOptions, opened.guard(), null), System.err));
            try {
                return capture(source, opened, report, signalled);
            } finally {
                if (dashboard != null) {
                    dashboard.close();
                }
                if (hangup != null) {
                    try {
                        hangup.close();   // the JVM's own handling again
                    } catch (Exception e) {
                        // nothing to undo
                    }
                }
            }
        });
    }

    /** The source and how to stop it from another thread; {@code live} is null for a replay. */
    private record Source(org.fathom.capture.PacketSource packets, Runnable stop, LiveSource live, String name) {}

    private Source liveSource() {
        try {
            LiveSource s = LiveSource.open(interfaces, new LiveSource.Settings(snaplen, promiscuous, bufferSize, filter,
                    LiveSource.Settings.DEFAULT_POLL_MILLIS));
            // libpcap's counters are read every second (for the metrics); growing drops are a warning
            // line at most once a minute; the summary has the totals
            s.onDrops(new DropWarnings(System.err, DROP_WARNING_INTERVAL_NANOS), STATS_INTERVAL_NANOS);
            if (run.metrics != null) {
                run.metrics.live(s);
            }
            return new Source(s, s::stop, s, String.join("+", interfaces));
        } catch (LiveCaptureException e) {
            throw new UserError(e.getMessage());
        }
    }

    private Source replaySource() {
        try {
            ReplaySource s = new ReplaySource(org.fathom.capture.CaptureFiles.open(replayFile));
            return new Source(s, s::stop, null, replayFile.getFileName().toString());
        } catch (org.fathom.capture.CaptureException e) {
            throw new UserError(e.getMessage());
        }
    }

    private int capture(Source src, RunOptions.Opened opened, PrintStream report, AtomicBoolean signalled) {
        AnalysisSummary summary = new AnalysisSummary();
        ProgressLine progress = run.quiet ? null : ProgressLine.forTerminal();
        org.fathom.capture.PacketSource source = src.packets();
        // a run's own file: a restarted service must not overwrite the records of the run before
        // (rotated files are named after their own start: DIR/eth0-20261206T080000Z.jsonl, ...)
        String name = run.rotation.enabled() ? src.name() : src.name() + "-" + java.time.format.DateTimeFormatter
                .ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        String writing = run.flowsDir != null ? run.flowsDir.resolve(name + ".jsonl").toString() : opened.writing();
        List<LiveSource.InterfaceStats> stats;
        String format;
        org.fathom.privacy.PrivacyGuard guard = opened.guard();
        try (guard) {
            try (source) {
                if (opened.dirSink() != null) {
                    opened.dirSink().startCapture(name);
                }
                run.events.startCapture(name);
                if (!run.quiet) {
                    // capture is active from here: frames wait in the kernel's buffer until read
                    System.err.printf("fathom: %s %s, %s; stop with Ctrl-C or SIGTERM%n",
                            src.live() != null ? "capturing on" : "replaying", src.live() != null
                                    ? String.join(", ", interfaces) : replayFile.toString(), source.format());
                }
                try {
                    opened.engine().run(run.metrics != null ? run.metrics.count(source) : source, summary,
                            progress == null ? Progress.NONE : progress);
                } finally {
                    if (opened.dirSink() != null) {
                        opened.dirOutput().flush();
                        opened.dirSink().finishCapture();
                    }
                    run.events.finishCapture();
                }
                format = source.format();
                stats = src.live() != null ? src.live().stats() : List.of();
            }
            if (progress != null) {
                progress.clear();
            }
        } catch (IOException | RuntimeException e) {
            UserError u = opened.writeFailure(e, writing);
            if (u == null) {
                throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
            }
            throw u;
        }
        long dropped = 0;
        for (LiveSource.InterfaceStats s : stats) {
            dropped += s.dropped() + s.ifDropped();
            if (s.dropped() + s.ifDropped() > 0) {
                System.err.printf("fathom: %s: %,d packets dropped by the kernel (capture buffer full) and %,d by the "
                        + "interface; raise --buffer-size or -w, or narrow --filter%n", s.name(), s.dropped(), s.ifDropped());
            }
        }
        if (!run.quiet) {
            new SummaryReport(summary, List.of(), opened.guard(), opened.table(), opened.callStats(), opened.outputStats())
                    .withIpfix(opened.ipfixLine()).withKafka(run.kafka.summaryLine()).withPolicy(run.policyOptions.summary())
                    .withLive(liveLines(format, stats, summary.packets))
                    .print(report);
            report.flush();
        }
        if (signalled.get()) {
            System.err.printf("fathom: stopped by SIGINT/SIGTERM after %,d packets%s; all records written%n",
                    summary.packets, dropped > 0 ? String.format(" (%,d dropped at capture)", dropped) : "");
        }
        return summary.partial() ? Main.EXIT_PARTIAL : Main.EXIT_OK;
    }

    /**
     * Drops reported by the source every {@link #STATS_INTERVAL_NANOS}, said on standard error at
     * most once per {@code interval} per interface, summed since that interface's last line.
     */
    static final class DropWarnings implements LiveSource.DropListener {
        private final PrintStream err;
        private final long interval;
        private final java.util.Map<String, long[]> pending = new java.util.HashMap<>();   // kernel, iface, since, last said

        DropWarnings(PrintStream err, long intervalNanos) {
            this.err = err;
            this.interval = intervalNanos;
        }

        @Override
        public void dropped(String iface, long kernel, long ifDrops, long nanos) {
            long now = System.nanoTime();
            long[] p = pending.computeIfAbsent(iface, k -> new long[] {0, 0, 0, now - interval});
            if (p[0] == 0 && p[1] == 0) {
                p[2] = now - nanos;   // this batch of drops began with the source's last report
            }
            p[0] += kernel;
            p[1] += ifDrops;
            if (now - p[3] >= interval) {
                err.printf("fathom: %s: %,d packets dropped by the kernel (capture buffer full) and %,d by the interface in the "
                        + "last %d s%n", iface, p[0], p[1], Math.max(1, (now - p[2]) / 1_000_000_000L));
                p[0] = 0;
                p[1] = 0;
                p[3] = now;
            }
        }
    }

    /** The live part of the summary: interfaces, packets captured, the kernel's drops. */
    static List<String> liveLines(String format, List<LiveSource.InterfaceStats> stats, long packets) {
        List<String> lines = new ArrayList<>();
        if (stats.isEmpty()) {   // a replayed file
            lines.add(String.format("Replayed   %,d packets (%s)", packets, format));
            return lines;
        }
        StringBuilder names = new StringBuilder();
        long received = 0;
        long dropped = 0;
        long ifDropped = 0;
        for (LiveSource.InterfaceStats s : stats) {
            names.append(names.isEmpty() ? "" : ", ").append(s.name());
            received += s.received();
            dropped += s.dropped();
            ifDropped += s.ifDropped();
        }
        lines.add(String.format("Interfaces %s, %s", names, format));
        lines.add(String.format("Captured   %,d packets; dropped %,d by the kernel (buffer full), %,d by the interface",
                packets, dropped, ifDropped));
        if (stats.size() > 1) {
            for (LiveSource.InterfaceStats s : stats) {
                lines.add(String.format("  %-16s %,d captured, %,d dropped by the kernel, %,d by the interface",
                        s.name(), s.captured(), s.dropped(), s.ifDropped()));
            }
        }
        return lines;
    }

    static {
        // the frame size libpcap may hand over is the Packet's buffer: keep them in step
        assert LiveSource.Settings.DEFAULT_SNAPLEN == Packet.MAX_FRAME;
    }
}
