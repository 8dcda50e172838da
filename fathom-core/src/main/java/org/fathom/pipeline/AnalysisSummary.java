package org.fathom.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fathom.decode.DecodeStats;
import org.fathom.record.FlowRecord;

/** Totals over every capture of a run, for the printed summary. */
public final class AnalysisSummary {
    public final List<CaptureResult> captures = new ArrayList<>();
    public final DecodeStats decode = new DecodeStats();
    private final Map<String, ProtocolTotals> protocols = new HashMap<>();
    public long flows;
    public long packets;
    public long bytes;
    public long evictedFlows;
    public int peakFlows;
    public long fragments;
    public long reassembled;
    public long droppedFragments;
    /** Traffic issues of the final flow records (the summary's "Traffic issues" section). */
    public final TrafficIssues issues = new TrafficIssues();

    /** Adds another summary's flow and protocol totals (per-worker summaries at the end of a capture). */
    void merge(AnalysisSummary o) {
        flows += o.flows;
        issues.merge(o.issues);
        for (ProtocolTotals t : o.protocols.values()) {
            ProtocolTotals m = protocols.computeIfAbsent(t.name, ProtocolTotals::new);
            m.flows += t.flows;
            m.packets += t.packets;
            m.bytes += t.bytes;
        }
    }

    void add(FlowRecord r) {
        // an interim record (active timeout) is more of a flow's traffic, not another flow
        boolean interim = "active".equals(r.endReason());
        if (!interim) {
            flows++;
            issues.add(r);
        }
        ProtocolTotals t = protocols.computeIfAbsent(r.protocol(), ProtocolTotals::new);
        if (!interim) {
            t.flows++;
        }
        t.packets += r.packetsC2s() + r.packetsS2c();
        t.bytes += r.bytesC2s() + r.bytesS2c();
    }

    /** Protocols by bytes, largest first. */
    public List<ProtocolTotals> protocols() {
        List<ProtocolTotals> l = new ArrayList<>(protocols.values());
        l.sort(Comparator.comparingLong((ProtocolTotals t) -> t.bytes).reversed().thenComparing(t -> t.name));
        return l;
    }

    public boolean partial() {
        return captures.stream().anyMatch(CaptureResult::partial);
    }
}
