package org.fathom.capture;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a capture to its end the way the pipeline does, checking on the way the invariants every
 * reader must keep whatever the input: lengths within bounds, a bounded number of records, and
 * an end that stays the end.
 */
final class ReadBack {
    /** The smallest record of either format (a pcapng simple packet block without data). */
    private static final int SMALLEST_RECORD = 16;

    /** One frame as read, copied out of the reused {@link Packet}. */
    record Frame(byte[] data, int wireLength, long timestampNanos, int linkType, long fileOffset) {
        @Override
        public String toString() {
            return "Frame[" + data.length + " bytes, wire " + wireLength + ", ts " + timestampNanos
                    + ", link " + linkType + ", at " + fileOffset + "]";
        }
    }

    record Capture(String format, List<Frame> frames, List<CaptureWarning> warnings) {
        List<String> messages() {
            return warnings.stream().map(CaptureWarning::message).toList();
        }

        List<Long> offsets() {
            return warnings.stream().map(CaptureWarning::offset).toList();
        }

        List<Long> frameOffsets() {
            return frames.stream().map(Frame::fileOffset).toList();
        }
    }

    private ReadBack() {}

    static Capture read(Path file) throws CaptureException {
        try (CaptureReader reader = CaptureFiles.open(file)) {
            return drain(reader);
        }
    }

    /** Reads a capture held in memory, sniffed the way {@link CaptureFiles#open(Path)} does. */
    static Capture read(byte[] bytes, String name) throws CaptureException {
        try (CaptureReader reader = open(bytes, name)) {
            return drain(reader);
        }
    }

    static CaptureReader open(byte[] bytes, String name) throws CaptureException {
        return CaptureFiles.open(Path.of(name), Arena.ofConfined(), MemorySegment.ofArray(bytes));
    }

    static Capture drain(CaptureReader reader) {
        Packet p = new Packet();
        List<Frame> frames = new ArrayList<>();
        long bound = reader.size() / SMALLEST_RECORD + 1;
        while (reader.next(p)) {
            if (p.length < 0 || p.length > Packet.MAX_FRAME) {
                throw new AssertionError("frame length " + p.length + " at byte " + p.fileOffset);
            }
            if (p.fileOffset < 0 || p.fileOffset >= reader.size()) {
                throw new AssertionError("frame offset " + p.fileOffset + " outside the file of " + reader.size());
            }
            frames.add(new Frame(Arrays.copyOf(p.data, p.length), p.wireLength, p.timestampNanos, p.linkType, p.fileOffset));
            if (frames.size() > bound) {
                throw new AssertionError("more records than a file of " + reader.size() + " bytes can hold");
            }
            if (reader.position() > reader.size()) {
                throw new AssertionError("position " + reader.position() + " beyond the end " + reader.size());
            }
        }
        if (reader.next(p)) {
            throw new AssertionError("a record after the end");
        }
        return new Capture(reader.format(), frames, List.copyOf(reader.warnings()));
    }

    /** A frame of {@code length} bytes whose content depends on {@code seed}. */
    static byte[] frame(int length, int seed) {
        byte[] b = new byte[length];
        int x = seed * 0x9E3779B9 + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) x;
        }
        return b;
    }
}
