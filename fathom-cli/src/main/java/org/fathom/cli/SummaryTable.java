package org.fathom.cli;

import java.util.ArrayList;
import java.util.List;
import org.fathom.privacy.AggregateRecord;
import org.fathom.privacy.PrivacyHeader;
import org.fathom.privacy.Released;
import org.fathom.record.AlertRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;

/** Keeps the aggregate rows the guard released, for the printed summary in aggregate mode. */
final class SummaryTable implements FlowSink {
    final List<AggregateRecord> rows = new ArrayList<>();
    /** The released calls with the lowest MOS (already through the guard), worst first. */
    final List<org.fathom.record.CallRecord> worstCalls = new ArrayList<>();
    static final int WORST = 5;
    /** Alerts as the guard released them (pseudonymised where the policy says so). */
    final List<AlertRecord> alerts = new ArrayList<>();
    PrivacyHeader header;

    @Override
    public void alert(Released<AlertRecord> a) {
        alerts.add(a.record());
    }

    @Override
    public void header(Released<PrivacyHeader> h) {
        header = h.record();
    }

    @Override
    public void accept(Released<FlowRecord> record) {
        // per-flow records are counted by the analysis summary already
    }

    @Override
    public void aggregate(Released<AggregateRecord> row) {
        rows.add(row.record());
    }

    @Override
    public void call(Released<org.fathom.record.CallRecord> call) {
        org.fathom.record.CallRecord c = call.record();
        if (c.media().isEmpty()) {
            return;
        }
        worstCalls.add(c);
        worstCalls.sort(java.util.Comparator.comparingDouble(SummaryTable::mos));
        if (worstCalls.size() > WORST) {
            worstCalls.removeLast();
        }
    }

    /** A call's MOS: its worst media direction. */
    static double mos(org.fathom.record.CallRecord c) {
        double m = 5;
        for (org.fathom.record.CallRecord.MediaStream s : c.media()) {
            m = Math.min(m, s.mos());
        }
        return m;
    }

    @Override
    public void close() {
    }
}
