package org.fathom.output;

import java.io.IOException;
import java.nio.file.Path;
import org.fathom.record.AggregateRecord;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.Released;

/**
 * JSON lines into one file per capture ({@code DIR/<capture file name>.jsonl}), each starting
 * with the privacy header. The caller names the capture before its records arrive; behind an
 * {@link AsyncSink}, only after {@link AsyncSink#flush}, so that the previous capture's records
 * are in its file and the sink's thread is idle while the file changes.
 */
public final class JsonLinesDirectorySink implements FlowSink {
    private final Path dir;
    private final Rotation rotation;
    private Released<? extends ExportRecord> header;
    private FlowSink current;
    private final java.util.Set<org.fathom.record.RecordKind> kinds;

    public JsonLinesDirectorySink(Path dir) {
        this(dir, FLOWS, null);
    }

    /** @param kinds the record kinds written (flows and aggregates, or events for {@code --events-dir}) */
    public JsonLinesDirectorySink(Path dir, java.util.Set<org.fathom.record.RecordKind> kinds) {
        this(dir, kinds, null);
    }

    /** Flows and aggregates, rotated (see below). */
    public JsonLinesDirectorySink(Path dir, Rotation rotation) {
        this(dir, FLOWS, rotation);
    }

    private static final java.util.Set<org.fathom.record.RecordKind> FLOWS =
            java.util.EnumSet.of(org.fathom.record.RecordKind.FLOW, org.fathom.record.RecordKind.AGGREGATE);

    @Override
    public boolean takesEvents() {
        return kinds.contains(org.fathom.record.RecordKind.EVENT);
    }

    @Override
    public boolean takesFlows() {
        return kinds.contains(org.fathom.record.RecordKind.FLOW);
    }

    /**
     * @param rotation null for one file per capture; else each capture's records go to a series of
     *                 files {@code DIR/<name>-<time>.jsonl} ({@link RotatingSink})
     */
    public JsonLinesDirectorySink(Path dir, java.util.Set<org.fathom.record.RecordKind> kinds, Rotation rotation) {
        this.dir = dir;
        this.kinds = java.util.EnumSet.copyOf(kinds);
        this.rotation = rotation;
    }

    /** Closes the previous capture's file and opens {@code DIR/<name>.jsonl} (or its rotated series). */
    public void startCapture(String captureFileName) throws IOException {
        finishCapture();
        if (rotation != null) {
            current = new RotatingSink(dir, captureFileName, kinds, rotation);
        } else {
            current = new JsonLinesFlowSink(WholeLineFile.open(dir.resolve(captureFileName + ".jsonl")), true, kinds);
        }
        if (header != null) {
            current.accept(header);
        }
    }

    /** Closes the current capture's file. */
    public void finishCapture() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** Flow records and aggregates go to the current capture's file; calls and alerts are not taken. */
    @Override
    public void accept(Released<? extends ExportRecord> released) throws IOException {
        switch (released.record()) {
            case PrivacyHeader h -> {
                header = released;
                if (current != null) {
                    current.accept(released);
                }
            }
            case FlowRecord f -> {
                if (!kinds.contains(org.fathom.record.RecordKind.FLOW)) {
                    return;
                }
                if (current == null) {
                    throw new IllegalStateException("no capture started");
                }
                current.accept(released);
            }
            case AggregateRecord a -> {
                if (current != null) {
                    current.accept(released);
                }
            }
            case org.fathom.record.EventRecord e -> {
                if (kinds.contains(org.fathom.record.RecordKind.EVENT)) {
                    if (current == null) {
                        throw new IllegalStateException("no capture started");
                    }
                    current.accept(released);
                }
            }
            default -> { }
        }
    }

    @Override
    public void close() throws IOException {
        finishCapture();
    }
}
