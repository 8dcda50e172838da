package org.fathom.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fathom.inline.InlineException;
import org.fathom.inline.InlineStats;
import org.fathom.inline.NfQueue;
import org.fathom.inline.PacketVerdicts;
import org.fathom.inline.PolicyVerdicts;
import org.fathom.inline.QueueSource;
import org.fathom.inline.TokenBuckets;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "inline",
        mixinStandardHelpOptions = true,
        description = {
            "Sits in the forwarding path (netfilter NFQUEUE) and applies a policy to every packet: accept, drop, "
                    + "accept with a new DSCP (mark, prioritise), or drop what is over a per-flow rate (rate_limit).",
            "",
            "The same engine, outputs and privacy guard as 'live': the packets are classified, calls and attacks "
                    + "analysed, records written. Each packet gets its verdict once the engine has taken it in (so "
                    + "the packet that classifies a flow or starts a call counts; fully with -w 1), from the verdicts "
                    + "in force (a flow's once it is classified, an address's while an alert rule's 'for:' lasts, a "
                    + "call's signalling and media while the call lives); packets before a flow's verdict pass, none "
                    + "is held. See docs/INLINE.md.",
            "",
            "Send traffic to the queue with the queue-bypass flag, so it passes when fathom is not running:",
            "  iptables -A FORWARD -j NFQUEUE --queue-num 0 --queue-bypass   (and the same with ip6tables)",
            "",
            "SIGINT or SIGTERM: every packet already queued gets its verdict, the queues are unbound, every open "
                    + "flow, call and alert is written as a record, the summary (packets accepted, dropped, marked, "
                    + "per rule) is printed, exit status 0. SIGHUP reads the --policy file (and the rule files) again: flows, "
                    + "calls, alerts, address verdicts and token buckets stay, each live flow is decided again at its "
                    + "next packet; a bad file keeps the policy in force and says why (docs/POLICY.md: reload).",
            "",
            "Needs root, or the capability cap_net_admin on the java binary (setcap cap_net_admin+eip JAVA).",
        },
        footer = {
            "",
            "Example: fathom inline --queue 0 --policy /etc/fathom/policy.yaml --fail-open --flows-dir /var/lib/fathom/flows",
            "",
            "Exit status: 0 stopped cleanly (by a signal); 1 the queue failed while running;",
            "2 usage error (bad option or policy, queue not permitted or already bound).",
        },
        sortOptions = false)
final class InlineCommand implements Callable<Integer> {
    @Option(names = "--queue", paramLabel = "N", required = true,
            description = "Netfilter queue number to answer (iptables -j NFQUEUE --queue-num N); repeat for several.")
    List<Integer> queues = new ArrayList<>();
    // --policy FILE and --verdicts FILE come with the run options (PolicyOptions), as for analyze and live

    @Mixin
    InlineOptions inline = new InlineOptions();

    @Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() {
        RunOptions.Prepared prepared = run.prepare(300);
        QueueSource source = openQueue(prepared);
        RunOptions.Opened opened;
        try {
            opened = run.open(prepared);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        PrintStream report = run.report();
        // SIGHUP: the rule files and the policy again; the queue's verdicts follow the new policy
        RuleReloader rules = run.reloader(prepared, opened.guard().audit());
        PolicyReloader policy = PolicyReloader.of(run.policyOptions, opened.guard(), InlineReload.follower(source));
        return StopOnSignal.run(source::stop, signalled -> {
            AutoCloseable hangup = RuleReloader.onHangup(PolicyReloader.hangup(rules, policy, System.err));
            try {
                return serve(source, opened, report, signalled);
            } finally {
                InlineReload.close(hangup);
            }
        });
    }

    private QueueSource openQueue(RunOptions.Prepared prepared) {
        try {
            NfQueue q = NfQueue.open(queues, new NfQueue.Settings(inline.failOpen, inline.queueMaxLen,
                    NfQueue.Settings.DEFAULT_RECEIVE_BUFFER, NfQueue.Settings.DEFAULT_POLL_MILLIS));
            if (inline.buckets < 16 || inline.buckets > 1 << 24) {
                q.close();
                throw new UserError("--rate-buckets must be between 16 and " + (1 << 24) + ", not " + inline.buckets);
            }
            if (inline.verdictBatch < 1 || inline.verdictBatch > NfQueue.MAX_BATCH) {
                q.close();
                throw new UserError("--verdict-batch must be between 1 and " + NfQueue.MAX_BATCH + ", not " + inline.verdictBatch);
            }
            q.verdictBatch(inline.verdictBatch);
            org.fathom.policy.PolicyEngine policy = run.policyOptions.engine;
            PacketVerdicts verdicts = policy == null ? PacketVerdicts.NONE : new PolicyVerdicts(policy.policy(), policy.verdicts());
            return new QueueSource(q, verdicts, new TokenBuckets(inline.buckets));
        } catch (InlineException e) {
            throw new UserError(e.getMessage());
        }
    }

    private int serve(QueueSource source, RunOptions.Opened opened, PrintStream report, AtomicBoolean signalled) {
        AnalysisSummary summary = new AnalysisSummary();
        String name = "inline-q" + String.join("-q", queues.stream().map(String::valueOf).toList()) + "-"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        String writing = run.flowsDir != null ? run.flowsDir.resolve(name + ".jsonl").toString() : opened.writing();
        InlineStats stats;
        List<NfQueue.KernelStats> kernel;
        org.fathom.privacy.PrivacyGuard guard = opened.guard();
        try (guard) {
            try (source) {
                if (opened.dirSink() != null) {
                    opened.dirSink().startCapture(name);
                }
                if (!run.quiet) {
                    System.err.printf("fathom: answering %s%s; stop with Ctrl-C or SIGTERM%n", source.name(),
                            inline.failOpen ? " (fail-open)" : "");
                }
                try {
                    opened.engine().run(source, summary, Progress.NONE);
                } finally {
                    if (opened.dirSink() != null) {
                        opened.dirOutput().flush();
                        opened.dirSink().finishCapture();
                    }
                }
                stats = source.stats();
                kernel = source.queue().kernelStats();
            }
        } catch (IOException | RuntimeException e) {
            UserError u = opened.writeFailure(e, writing);
            if (u == null) {
                throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
            }
            throw u;
        }
        if (!run.quiet) {
            new SummaryReport(summary, List.of(), opened.guard(), opened.table(), opened.callStats(), opened.outputStats())
                    .withIpfix(opened.ipfixLine()).withPolicy(run.policyOptions.summary(true))
                    .withLive(verdictLines(source.name(), stats, kernel))
                    .print(report);
            report.flush();
        }
        if (signalled.get()) {
            System.err.printf("fathom: stopped by SIGINT/SIGTERM after %,d packets, each with its verdict; all records written%n",
                    stats.packets());
        }
        boolean failed = !source.warnings().isEmpty() && !source.stopRequested();
        return failed || summary.partial() ? Main.EXIT_PARTIAL : Main.EXIT_OK;
    }

    /** The inline part of the summary: verdicts given, per rule, and the kernel's queue drops. */
    static List<String> verdictLines(String name, InlineStats s, List<NfQueue.KernelStats> kernel) {
        List<String> lines = new ArrayList<>();
        long kernelDropped = 0;
        for (NfQueue.KernelStats k : kernel) {
            kernelDropped += k.dropped() + k.userDropped();
        }
        lines.add(String.format("Queue      %s: %,d packets answered: %,d accepted, %,d marked, %,d dropped (block), "
                + "%,d dropped (over rate)", name, s.packets(), s.accepted(), s.marked(), s.dropped(), s.rateDropped()));
        if (kernelDropped > 0 || s.verdictErrors() > 0) {
            lines.add(String.format("           the kernel dropped %,d packets (queue or socket buffer full); %,d verdicts refused",
                    kernelDropped, s.verdictErrors()));
        }
        for (InlineStats.RuleStats r : s.rules()) {
            lines.add(String.format("  %-24s %-11s %,d packets, %,d bytes, %,d dropped, %,d marked", r.rule(), r.action(),
                    r.packets(), r.bytes(), r.dropped(), r.marked()));
        }
        if (s.bucketEvictions() > 0) {
            lines.add(String.format("           rate limits: %,d flows evicted from the token-bucket table (--rate-buckets)",
                    s.bucketEvictions()));
        }
        return lines;
    }

    /** Options of the inline command, in their own mixin. */
    static final class InlineOptions {
        @Option(names = "--fail-open", description = "When the queue is full (fathom overloaded), the kernel accepts packets instead of dropping them (NFQA_CFG_F_FAIL_OPEN). With --queue-bypass in the iptables rule, traffic also passes when fathom is not running.")
        boolean failOpen;

        @Option(names = "--queue-maxlen", paramLabel = "N", description = "Packets the kernel holds per queue while fathom is busy; beyond it the kernel drops them, or accepts them with --fail-open (default: ${DEFAULT-VALUE}).")
        int queueMaxLen = NfQueue.Settings.DEFAULT_MAXLEN;

        @Option(names = "--rate-buckets", paramLabel = "N", description = "Token buckets held for rate-limited flows (one per flow direction); beyond it the stalest is reused (default: ${DEFAULT-VALUE}).")
        int buckets = 65_536;

        @Option(names = "--verdict-batch", paramLabel = "N", description = "Packets accepted unchanged that may share one batch verdict (NFQNL_MSG_VERDICT_BATCH); sent as soon as nothing more is waiting to be read, so only packets that queued up behind others wait for it; 1: one verdict per packet (default: ${DEFAULT-VALUE}).")
        int verdictBatch = NfQueue.DEFAULT_BATCH;

    }
}
