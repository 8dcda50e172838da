package org.fathom.record;

/**
 * A record that may leave the engine, once the privacy guard has released it ({@link Released}).
 * Sealed, so a sink can switch over every kind: a new kind is added here and to the sinks that
 * write it; sinks that do not take it ignore it in their {@code default} branch.
 */
public sealed interface ExportRecord permits PrivacyHeader, FlowRecord, AggregateRecord, CallRecord, AlertRecord, VerdictRecord,
        EventRecord {
}
