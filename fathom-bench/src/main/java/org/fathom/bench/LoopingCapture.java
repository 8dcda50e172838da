package org.fathom.bench;

import java.nio.file.Path;
import org.fathom.capture.CaptureException;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.Packet;

/**
 * Reads a capture over and over, reopening it (a fresh mapping, as a new run would) at its end,
 * so that a benchmark can process a fixed number of records per invocation whatever the file.
 */
final class LoopingCapture implements AutoCloseable {
    private final Path file;
    private CaptureReader reader;
    /** Times the end of the file was reached. */
    long passes;

    LoopingCapture(Path file) throws CaptureException {
        this.file = file;
        this.reader = CaptureFiles.open(file);
        Packet probe = new Packet();
        if (!reader.next(probe)) {
            reader.close();
            throw new IllegalArgumentException(file + ": no records to benchmark");
        }
        reader.close();
        reader = CaptureFiles.open(file);
    }

    boolean next(Packet p) {
        if (reader.next(p)) {
            return true;
        }
        reader.close();
        passes++;
        try {
            reader = CaptureFiles.open(file);
        } catch (CaptureException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return reader.next(p);
    }

    @Override
    public void close() {
        reader.close();
    }
}
