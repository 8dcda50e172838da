package org.fathom.pipeline;

import java.nio.file.Path;

/** Told now and then how far reading a capture has come. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (file, position, size, frames) -> { };

    void update(Path file, long position, long size, long frames);
}
