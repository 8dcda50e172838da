package org.fathom.pipeline;

import java.nio.file.Path;
import java.util.List;
import org.fathom.capture.CaptureWarning;

/** What one capture file yielded. */
public record CaptureResult(Path file, String format, long frames, long bytes, long flows,
                            List<CaptureWarning> warnings) {
    public boolean partial() {
        return !warnings.isEmpty();
    }
}
