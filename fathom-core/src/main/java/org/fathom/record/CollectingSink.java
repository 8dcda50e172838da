package org.fathom.record;

import java.util.ArrayList;
import java.util.List;
import org.fathom.privacy.AggregateRecord;
import org.fathom.privacy.PrivacyHeader;
import org.fathom.privacy.Released;

/** Keeps released records in memory (embedding, tests). Thread-safe through the guard's lock. */
public final class CollectingSink implements FlowSink {
    private final List<FlowRecord> flows = new ArrayList<>();
    private final List<AggregateRecord> aggregates = new ArrayList<>();
    private final List<CallRecord> calls = new ArrayList<>();
    private final List<AlertRecord> alerts = new ArrayList<>();
    private PrivacyHeader header;

    @Override
    public void header(Released<PrivacyHeader> h) {
        header = h.record();
    }

    @Override
    public void accept(Released<FlowRecord> record) {
        flows.add(record.record());
    }

    @Override
    public void aggregate(Released<AggregateRecord> row) {
        aggregates.add(row.record());
    }

    @Override
    public void call(Released<CallRecord> call) {
        calls.add(call.record());
    }

    @Override
    public void alert(Released<AlertRecord> alert) {
        alerts.add(alert.record());
    }

    public List<AlertRecord> alerts() {
        return alerts;
    }

    @Override
    public void close() {
    }

    public List<FlowRecord> flows() {
        return flows;
    }

    public List<AggregateRecord> aggregates() {
        return aggregates;
    }

    /** Released call records, in release order. */
    public List<CallRecord> calls() {
        return calls;
    }

    public PrivacyHeader header() {
        return header;
    }
}
