package org.fathom.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.fathom.pipeline.Progress;

/** A one-line progress display on standard error, only when it is a terminal. */
final class ProgressLine implements Progress {
    private final PrintStream err = System.err;
    private long lastPrint;
    private boolean shown;

    static ProgressLine forTerminal() {
        var console = System.console();
        return console != null && console.isTerminal() ? new ProgressLine() : null;
    }

    @Override
    public void update(Path file, long position, long size, long frames) {
        long now = System.nanoTime();
        if (now - lastPrint < 250_000_000L) {
            return;
        }
        lastPrint = now;
        if (size > 0) {
            err.printf("\r%s: %3d%%  %,d packets", file.getFileName(), (int) (100 * position / size), frames);
        } else {
            err.printf("\r%s: %,d packets", file.getFileName(), frames);   // live: no end to measure against
        }
        err.flush();
        shown = true;
    }

    void clear() {
        if (shown) {
            err.print("\r\033[K");
            err.flush();
            shown = false;
        }
    }
}
