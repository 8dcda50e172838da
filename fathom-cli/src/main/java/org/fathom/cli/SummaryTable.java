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
    public void close() {
    }
}
