package org.fathom.capture;

import java.nio.file.Path;

/**
 * Something wrong with a capture file that did not stop the run: where (file and byte offset)
 * and what. Packets before it were kept.
 */
public record CaptureWarning(Path file, long offset, String message) {
    @Override
    public String toString() {
        return file + " at byte " + offset + ": " + message;
    }
}
