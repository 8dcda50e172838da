package org.fathom.pipeline;

import java.nio.file.Path;
import org.fathom.capture.CaptureException;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.privacy.PrivacyGuard;

/**
 * Capture files through the {@link Engine}: opens each file as a {@link org.fathom.capture.PacketSource}
 * and runs the engine over it. Each capture gets its own flow tables: flows never span two files.
 */
public final class CaptureAnalyzer {
    private final AnalysisOptions options;

    public CaptureAnalyzer(AnalysisOptions options) {
        this.options = options;
    }

    /** Reads {@code reader} to its end on the calling thread (one worker); the caller closes it. */
    public CaptureResult analyze(CaptureReader reader, PrivacyGuard exit, AnalysisSummary summary, Progress progress) {
        return new Engine(options, 1, exit).run(reader, summary, progress);
    }

    /**
     * Reads {@code file} with {@code workers} worker threads.
     *
     * @throws CaptureException when the file cannot be opened as a capture
     */
    public CaptureResult analyze(Path file, int workers, PrivacyGuard exit, AnalysisSummary summary, Progress progress)
            throws CaptureException {
        try (CaptureReader r = CaptureFiles.open(file)) {
            return new Engine(options, workers, exit).run(r, summary, progress);
        }
    }
}
