package org.fathom.capture;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Base for file readers: the whole file mapped read-only as one {@link MemorySegment} (no 2 GiB
 * limit), little helpers for fixed-order integer reads, and the bounded warning list.
 */
abstract class MappedCapture implements CaptureReader {
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_WARNINGS = 50;

    final Path file;
    final Arena arena;
    final MemorySegment segment;
    final long size;
    /** True when the file's multi-byte fields are big-endian. */
    boolean bigEndian;
    long pos;
    private final List<CaptureWarning> warnings = new ArrayList<>();
    private long suppressedWarnings;

    MappedCapture(Path file, Arena arena, MemorySegment segment) {
        this.file = file;
        this.arena = arena;
        this.segment = segment;
        this.size = segment.byteSize();
    }

    static MemorySegment map(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
    }

    final int u32(long at) {
        int v = segment.get(INT_LE, at);
        return bigEndian ? Integer.reverseBytes(v) : v;
    }

    final int u16(long at) {
        short v = segment.get(SHORT_LE, at);
        return (bigEndian ? Short.reverseBytes(v) : v) & 0xFFFF;
    }

    final long u32L(long at) {
        return u32(at) & 0xFFFF_FFFFL;
    }

    /** Copies a frame into the packet, cutting it to {@link Packet#MAX_FRAME}. */
    final void copyFrame(Packet packet, long at, int capLen, int wireLen, long tsNanos, int linkType, long recordOffset) {
        int n = capLen;
        if (n > Packet.MAX_FRAME) {
            warn(recordOffset, "frame of " + capLen + " bytes cut to " + Packet.MAX_FRAME);
            n = Packet.MAX_FRAME;
        }
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, packet.data, 0, n);
        packet.length = n;
        packet.wireLength = Math.max(wireLen, n);
        packet.timestampNanos = tsNanos;
        packet.linkType = linkType;
        packet.fileOffset = recordOffset;
    }

    final void warn(long offset, String message) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(new CaptureWarning(file, offset, message));
        } else {
            suppressedWarnings++;
        }
    }

    @Override
    public final List<CaptureWarning> warnings() {
        if (suppressedWarnings == 0) {
            return Collections.unmodifiableList(warnings);
        }
        List<CaptureWarning> all = new ArrayList<>(warnings);
        all.add(new CaptureWarning(file, size, suppressedWarnings + " further warnings not shown"));
        return all;
    }

    @Override
    public final Path file() {
        return file;
    }

    @Override
    public final long position() {
        return pos;
    }

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final void close() {
        arena.close();
    }
}
