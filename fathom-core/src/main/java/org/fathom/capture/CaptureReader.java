package org.fathom.capture;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads the records of one capture file in order. Implementations never throw for damaged
 * content: they stop (or resynchronise) and record a {@link CaptureWarning}.
 */
public interface CaptureReader extends AutoCloseable {
    /**
     * Fills {@code packet} with the next record.
     *
     * @return false at the end of the capture (or at damage it cannot get past)
     */
    boolean next(Packet packet);

    /**
     * From now on {@link #next} copies only the first {@code bytesPerFrame} bytes of each frame
     * ({@link Packet#length} is then the copied length); {@link #complete} copies the rest of the
     * last frame when it turns out to be needed. Lets a worker look at the headers of packets it
     * does not own without paying for their payload.
     */
    void copyPrefixOnly(int bytesPerFrame);

    /** Copies the whole of the frame last returned by {@link #next} (no-op when already whole). */
    void complete(Packet packet);

    /** The file being read. */
    Path file();

    /** Format name, e.g. "pcap (microseconds, little-endian)". */
    String format();

    /** Bytes of the file consumed so far (for progress). */
    long position();

    /** Size of the file in bytes. */
    long size();

    /** Warnings so far: damage, frames cut to {@link Packet#MAX_FRAME}. */
    List<CaptureWarning> warnings();

    @Override
    void close();
}
