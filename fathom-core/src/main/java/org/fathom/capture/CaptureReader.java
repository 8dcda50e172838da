package org.fathom.capture;

import java.nio.file.Path;

/**
 * Reads the records of one capture file in order: the file-shaped {@link PacketSource} (it never
 * returns {@link #IDLE}). Implementations never throw for damaged content: they stop (or
 * resynchronise) and record a {@link CaptureWarning}.
 */
public interface CaptureReader extends PacketSource {
    /**
     * Fills {@code packet} with the next record.
     *
     * @return false at the end of the capture (or at damage it cannot get past)
     */
    boolean next(Packet packet);

    @Override
    default int read(Packet packet) {
        return next(packet) ? PACKET : END;
    }

    @Override
    default String name() {
        return file().toString();
    }


    /** The file being read. */
    Path file();

}
