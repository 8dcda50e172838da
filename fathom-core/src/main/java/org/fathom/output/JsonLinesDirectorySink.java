package org.fathom.output;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fathom.privacy.AggregateRecord;
import org.fathom.privacy.PrivacyHeader;
import org.fathom.privacy.Released;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;

/**
 * JSON lines into one file per capture ({@code DIR/<capture file name>.jsonl}), each starting
 * with the privacy header. The caller names the capture before its records arrive.
 */
public final class JsonLinesDirectorySink implements FlowSink {
    private final Path dir;
    private Released<PrivacyHeader> header;
    private JsonLinesFlowSink current;

    public JsonLinesDirectorySink(Path dir) {
        this.dir = dir;
    }

    /** Closes the previous capture's file and opens {@code DIR/<name>.jsonl}. */
    public void startCapture(String captureFileName) throws IOException {
        finishCapture();
        Path out = dir.resolve(captureFileName + ".jsonl");
        current = new JsonLinesFlowSink(new BufferedOutputStream(Files.newOutputStream(out), 1 << 16), true);
        if (header != null) {
            current.header(header);
        }
    }

    /** Closes the current capture's file. */
    public void finishCapture() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void header(Released<PrivacyHeader> h) {
        header = h;
        if (current != null) {
            current.header(h);
        }
    }

    @Override
    public void accept(Released<FlowRecord> record) throws IOException {
        if (current == null) {
            throw new IllegalStateException("no capture started");
        }
        current.accept(record);
    }

    @Override
    public void aggregate(Released<AggregateRecord> row) {
        if (current != null) {
            current.aggregate(row);
        }
    }

    @Override
    public void close() throws IOException {
        finishCapture();
    }
}
