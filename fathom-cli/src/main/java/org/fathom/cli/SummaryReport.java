package org.fathom.cli;

import java.io.PrintStream;
import java.util.List;
import org.fathom.capture.LinkType;
import org.fathom.output.AsyncSink;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.CaptureResult;
import org.fathom.pipeline.ProtocolTotals;
import org.fathom.record.AggregateRecord;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyMode;
import org.fathom.privacy.PrivacyPolicy;

/** The readable summary printed after an analysis. */
final class SummaryReport {
    private final AnalysisSummary s;
    private final List<String> skipped;
    private final PrivacyGuard guard;
    private final SummaryTable table;
    private final org.fathom.voip.CallStats calls;
    private final List<AsyncSink.Stats> outputs;
    /** Live capture: interfaces and drops, printed instead of the captures line; null for files. */
    private List<String> live;

    /** Waiting for a full output queue this long in all is worth a line in the summary. */
    static final long NOTICEABLE_WAIT_NANOS = 1_000_000_000L;

    SummaryReport(AnalysisSummary s, List<String> skipped, PrivacyGuard guard, SummaryTable table) {
        this(s, skipped, guard, table, null, List.of());
    }

    SummaryReport(AnalysisSummary s, List<String> skipped, PrivacyGuard guard, SummaryTable table,
                  org.fathom.voip.CallStats calls, List<AsyncSink.Stats> outputs) {
        this.s = s;
        this.skipped = skipped;
        this.guard = guard;
        this.table = table;
        this.calls = calls;
        this.outputs = outputs;
    }

    /** The IPFIX export's line, or null. */
    private String ipfix;

    /** Adds the IPFIX export's line (messages, records, losses); null adds nothing. */
    SummaryReport withIpfix(String line) {
        this.ipfix = line;
        return this;
    }

    /** The Kafka export's line, or null. */
    private String kafka;

    /** Adds the Kafka export's line (sent, acknowledged, failed, dropped); null adds nothing. */
    SummaryReport withKafka(String line) {
        this.kafka = line;
        return this;
    }

    /** The policy section (docs/POLICY.md): hits per rule; empty without a policy. */
    private List<String> policy = List.of();

    SummaryReport withPolicy(List<String> lines) {
        this.policy = lines;
        return this;
    }

    /** A live run's lines (interfaces, packets captured, drops) instead of the captures line. */
    SummaryReport withLive(List<String> lines) {
        this.live = lines;
        return this;
    }

    void print(PrintStream out) {
        printAlerts(out);
        if (live != null) {
            live.forEach(out::println);
        } else {
            out.printf("Captures   %,d read%s%n", s.captures.size(), skipped.isEmpty() ? "" : String.format(", %,d skipped", skipped.size()));
        }
        out.printf("Packets    %,d (%s)%n", s.packets, bytes(s.bytes));
        out.printf("Flows      %,d%s%n", s.flows, s.evictedFlows > 0 ? String.format(" (%,d evicted: flow table full at %,d)", s.evictedFlows, s.peakFlows) : "");
        var d = s.decode;
        out.printf("Decoded    %,d IP packets, %,d tunnelled; %,d non-IP frames, %,d malformed%n",
                d.ipPackets, d.tunnelled, d.nonIp, d.malformed);
        if (s.fragments > 0) {
            out.printf("Fragments  %,d, %,d datagrams reassembled, %,d fragments dropped%n",
                    s.fragments, s.reassembled, s.droppedFragments);
        }
        if (d.unsupportedLinkFrames > 0) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < d.unsupportedLinkTypes.length; i++) {
                if (d.unsupportedLinkTypes[i] > 0) {
                    sb.append(sb.isEmpty() ? "" : ", ").append(LinkType.name(i)).append(": ").append(String.format("%,d", d.unsupportedLinkTypes[i]));
                }
            }
            out.printf("Unsupported link types: %s frames%n", sb);
        }
        PrivacyPolicy p = guard.policy();
        out.printf("Privacy    %s; subscriber networks %s%s%n", p.mode().label(), p.subscribers(),
                p.mode() == PrivacyMode.AGGREGATE ? String.format("; groups under %d subscribers suppressed", p.k()) : "");
        out.printf("Audit log  %s (%,d entries, head %s)%n", guard.audit().file(), guard.audit().entries(), guard.audit().head().substring(0, 16));
        if (!guard.droppedFields().isEmpty()) {
            out.printf("Dropped    fields not in the privacy inventory: %s%n", String.join(", ", guard.droppedFields().keySet()));
        }
        if (ipfix != null) {
            out.println(ipfix);
        }
        if (kafka != null) {
            out.println(kafka);
        }
        for (String line : outputLines(outputs)) {
            out.println(line);
        }
        List<ProtocolTotals> protos = p.mode() == PrivacyMode.AGGREGATE ? publishedTotals() : s.protocols();
        if (!protos.isEmpty()) {
            out.println();
            out.printf("%-24s %14s %14s %10s%n", "Protocol", "Packets", "Bytes", "Flows");
            for (ProtocolTotals t : protos) {
                out.printf("%-24s %,14d %14s %,10d%n", t.name, t.packets, bytes(t.bytes), t.flows);
            }
        }
        if (calls != null && calls.attempts() > 0) {
            printCalls(out, p.mode() == PrivacyMode.AGGREGATE);
        }
        List<String> issues = s.issues.lines();
        if (!issues.isEmpty()) {
            out.println();
            out.println("Traffic issues (docs/EVENTS.md)");
            issues.forEach(out::println);
        }
        if (!policy.isEmpty()) {
            out.println();
            policy.forEach(out::println);
        }
        long warnings = 0;
        for (CaptureResult c : s.captures) {
            warnings += c.warnings().size();
        }
        if (warnings > 0 || !skipped.isEmpty()) {
            // the warnings themselves went to standard error (also with -q), similar ones collapsed
            out.println();
            out.printf("Warnings   %,d in captures, %,d inputs skipped (on standard error)%n", warnings, skipped.size());
        }
    }

    /** The calls section: counts always; in aggregate mode nothing about individual calls. */
    private void printCalls(PrintStream out, boolean aggregate) {
        org.fathom.voip.CallStats c = calls;
        out.println();
        out.printf("Calls      %,d attempts, %,d answered (ASR %.1f%%, NER %.1f%%), %,d emergency%n",
                c.attempts(), c.answered(), c.asr(), c.ner(), c.emergency());
        out.printf("Outcomes   completed %,d, dropped %,d, busy %,d, no answer %,d, cancelled %,d, redirected %,d,%n",
                c.count("completed"), c.count("dropped"), c.count("busy"), c.count("no_answer"), c.count("cancelled"),
                c.count("redirected"));
        out.printf("           blocked %,d (rejected %,d, failed %,d), in progress %,d%n",
                c.blocked(), c.count("rejected"), c.count("failed"), c.count("in_progress"));
        if (c.pddPercentile(50) >= 0) {
            out.printf("PDD        p50 %,d ms, p95 %,d ms%n", c.pddPercentile(50), c.pddPercentile(95));
        }
        if (c.rtpStreams() > 0) {
            long[] m = c.mosClasses();
            out.printf("MOS        %,d RTP streams: >=4.3 %,d, 4.0-4.3 %,d, 3.6-4.0 %,d, 3.1-3.6 %,d, 2.6-3.1 %,d, <2.6 %,d%n",
                    c.rtpStreams(), m[0], m[1], m[2], m[3], m[4], m[5]);
        }
        if (!aggregate && !table.worstCalls.isEmpty()) {
            out.println("Worst calls by MOS:");
            for (org.fathom.record.CallRecord r : table.worstCalls) {
                out.printf("  %.2f  %s  %s -> %s  %s%n", SummaryTable.mos(r), r.callId(), r.caller(), r.callee(), r.outcome());
            }
        }
    }

    /**
     * Outputs that could not keep up: one line each where records were dropped (--on-full drop)
     * or the analysis waited noticeably for a full queue; nothing otherwise.
     */
    static List<String> outputLines(List<AsyncSink.Stats> outputs) {
        List<String> lines = new java.util.ArrayList<>();
        for (AsyncSink.Stats o : outputs) {
            boolean waited = o.waitedNanos() >= NOTICEABLE_WAIT_NANOS;
            if (o.dropped() == 0 && !waited) {
                continue;
            }
            StringBuilder sb = new StringBuilder(String.format("Output     %s: %,d of %,d records written", o.name(),
                    o.written(), o.accepted()));
            if (o.dropped() > 0) {
                sb.append(String.format(", %,d dropped", o.dropped()));
            }
            sb.append(String.format(" (queue of %,d full at times", o.capacity()));
            if (waited) {
                sb.append(String.format("; analysis waited %.1f s", o.waitedNanos() / 1e9));
            }
            lines.add(sb.append(')').toString());
        }
        return lines;
    }

    /** Alerts come first: an attack matters more than the protocol mix. */
    private void printAlerts(PrintStream out) {
        if (table.alerts.isEmpty()) {
            out.println("Alerts     none");
            out.println();
            return;
        }
        out.printf("Alerts     %,d%n", table.alerts.size());
        for (org.fathom.record.AlertRecord a : table.alerts) {
            String target = org.fathom.net.Addresses.format(a.targetHi(), a.targetLo())
                    + (a.targetPort() != 0 ? " port " + a.targetPort() : "") + (a.targetProtocol() != null ? " " + a.targetProtocol() : "");
            out.printf("  %-22s %s  %s .. %s  %,d packets, %s, peak %,.0f pps / %s/s, %,d sources, detected after %,d ms%s%n",
                    a.kind(), target, org.fathom.output.Timestamps.iso(a.startNanos()), org.fathom.output.Timestamps.iso(a.endNanos()),
                    a.packets(), bytes(a.bytes()), a.peakPps(), bits(a.peakBps()), a.sourceCount(), a.detectionDelayMs(),
                    a.detail() == null ? "" : " (" + a.detail() + ")");
        }
        out.println();
    }

    static String bits(double b) {
        String[] units = {"bit", "kbit", "Mbit", "Gbit", "Tbit"};
        int u = 0;
        while (b >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        return String.format("%.1f %s", b, units[u]);
    }

    /** Aggregate mode: per-protocol totals from the released (k-suppressed) rows only. */
    private List<ProtocolTotals> publishedTotals() {
        java.util.Map<String, long[]> m = new java.util.TreeMap<>();
        for (AggregateRecord r : table.rows) {
            if (r.protocol().equals("*")) {
                continue;
            }
            long[] t = m.computeIfAbsent(r.protocol(), x -> new long[3]);
            t[0] += r.packets();
            t[1] += r.bytesUp() + r.bytesDown();
            t[2] += r.flows();
        }
        List<ProtocolTotals> l = new java.util.ArrayList<>();
        for (var e : m.entrySet()) {
            l.add(ProtocolTotals.of(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]));
        }
        l.sort(java.util.Comparator.comparingLong((ProtocolTotals t) -> t.bytes).reversed());
        return l;
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
