package org.fathom.record;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps released records in memory (embedding, tests). Thread-safe through the guard's exit, which
 * hands over one record at a time.
 */
public final class CollectingSink implements FlowSink {
    private final List<FlowRecord> flows = new ArrayList<>();
    private final List<AggregateRecord> aggregates = new ArrayList<>();
    private final List<CallRecord> calls = new ArrayList<>();
    private final List<AlertRecord> alerts = new ArrayList<>();
    private final List<EventRecord> events = new ArrayList<>();
    private final boolean takesEvents;
    private final List<VerdictRecord> verdicts = new ArrayList<>();
    private PrivacyHeader header;

    /** A sink for every kind but events. */
    public CollectingSink() {
        this(false);
    }

    /** @param takesEvents whether per-transaction events are asked for (and kept) */
    public CollectingSink(boolean takesEvents) {
        this.takesEvents = takesEvents;
    }

    @Override
    public boolean takesEvents() {
        return takesEvents;
    }

    /** Released events, in release order. */
    public List<EventRecord> events() {
        return events;
    }

    @Override
    public void accept(Released<? extends ExportRecord> released) {
        switch (released.record()) {
            case PrivacyHeader h -> header = h;
            case FlowRecord f -> flows.add(f);
            case AggregateRecord a -> aggregates.add(a);
            case CallRecord c -> calls.add(c);
            case AlertRecord a -> alerts.add(a);
            case EventRecord e -> events.add(e);
            case VerdictRecord v -> verdicts.add(v);
        }
    }

    public List<VerdictRecord> verdicts() {
        return verdicts;
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
