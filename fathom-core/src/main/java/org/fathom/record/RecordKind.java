package org.fathom.record;

/** The kinds of record a sink may take. */
public enum RecordKind {
    FLOW, AGGREGATE, CALL, ALERT, VERDICT, EVENT
}
