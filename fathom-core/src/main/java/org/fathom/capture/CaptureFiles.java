package org.fathom.capture;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;

/** Opens a capture file by its magic number; the file name's extension is never trusted. */
public final class CaptureFiles {
    private CaptureFiles() {}

    /**
     * Opens {@code file} for reading.
     *
     * @throws CaptureException with a one-line, user-facing message when the file is missing,
     *     unreadable, empty or not a pcap/pcapng capture
     */
    public static CaptureReader open(Path file) throws CaptureException {
        if (Files.isDirectory(file)) {
            throw new CaptureException(file + ": is a folder, not a capture file");
        }
        CaptureBytes bytes;
        try {
            bytes = CaptureBytes.read(FileChannel.open(file, StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            throw new CaptureException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new CaptureException(file + ": permission denied");
        } catch (IOException | UnsupportedOperationException e) {
            throw new CaptureException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return open(file, bytes);
    }

    /**
     * Picks the reader for the capture in {@code segment} by its magic number. The reader owns
     * {@code arena} and closes it; so does this method when it throws. Tests hand in heap
     * segments here to read captures without touching the file system.
     */
    static CaptureReader open(Path file, Arena arena, MemorySegment segment) throws CaptureException {
        return open(file, CaptureBytes.whole(arena, segment));
    }

    private static CaptureReader open(Path file, CaptureBytes bytes) throws CaptureException {
        try {
            if (bytes.size() < 4) {
                throw new CaptureException(file + ": not a capture file (" + bytes.size() + " bytes)");
            }
            int magic = bytes.intLE(0);
            if (magic == PcapngReader.SHB) {
                return new PcapngReader(file, bytes);
            }
            for (int m : new int[] {PcapReader.MAGIC_USEC, PcapReader.MAGIC_NSEC, PcapReader.MAGIC_KUZNETZOV}) {
                if (magic == m || magic == Integer.reverseBytes(m)) {
                    return new PcapReader(file, bytes);
                }
            }
            throw new CaptureException(file + ": not a pcap or pcapng capture (magic number 0x"
                    + String.format("%08x", Integer.reverseBytes(magic)) + ")");
        } catch (CaptureException | RuntimeException e) {
            bytes.close();
            throw e;
        }
    }
}
