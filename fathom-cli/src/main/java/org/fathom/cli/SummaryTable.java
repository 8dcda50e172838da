package org.fathom.cli;

import java.util.ArrayList;
import java.util.List;
import org.fathom.record.AggregateRecord;
import org.fathom.record.AlertRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.Released;

/**
 * Keeps what the printed summary shows of the released records: aggregate rows, the worst calls,
 * alerts. Per-flow records are counted by the analysis summary already and ignored here.
 */
final class SummaryTable implements FlowSink {
    final List<AggregateRecord> rows = new ArrayList<>();
    /** The released calls with the lowest MOS (already through the guard), worst first. */
    final List<CallRecord> worstCalls = new ArrayList<>();
    static final int WORST = 5;
    /** Alerts as the guard released them (pseudonymised where the policy says so). */
    final List<AlertRecord> alerts = new ArrayList<>();
    PrivacyHeader header;

    @Override
    public void accept(Released<? extends ExportRecord> released) {
        switch (released.record()) {
            case PrivacyHeader h -> header = h;
            case AggregateRecord row -> rows.add(row);
            case AlertRecord a -> alerts.add(a);
            case CallRecord c -> call(c);
            default -> { }
        }
    }

    private void call(CallRecord c) {
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
    static double mos(CallRecord c) {
        double m = 5;
        for (CallRecord.MediaStream s : c.media()) {
            m = Math.min(m, s.mos());
        }
        return m;
    }

    /** Flows are counted by the analysis summary; this table ignores them. */
    @Override
    public boolean takesFlows() {
        return false;
    }

    @Override
    public void close() {
    }
}
