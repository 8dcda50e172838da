package org.fathom.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;

/**
 * The bytes of a capture file, addressed by 64-bit file offsets. Files are mapped read-only in
 * windows of {@link #WINDOW} bytes that slide forward as the reader advances, so a capture of
 * any size (over 2 GiB included) costs at most one window of resident mapping per reader, and
 * every byte is read from the mapping once. Tests use whole in-memory segments.
 */
abstract class CaptureBytes implements AutoCloseable {
    static final long WINDOW = 64L << 20;

    abstract long size();

    abstract int intLE(long at);

    abstract short shortLE(long at);

    abstract int u8(long at);

    /** Copies {@code n} bytes at {@code at} into {@code dst[0..n)}. */
    final void copy(long at, byte[] dst, int n) {
        copy(at, dst, 0, n);
    }

    /** Copies {@code n} bytes at {@code at} into {@code dst[to..to+n)}. */
    abstract void copy(long at, byte[] dst, int to, int n);

    @Override
    public abstract void close();

    /** A whole segment (already mapped, or on the heap); {@code arena} is closed with it. */
    static CaptureBytes whole(Arena arena, MemorySegment segment) {
        return new Whole(arena, segment);
    }

    /** A file mapped window by window; the channel is closed with it. */
    static CaptureBytes mapped(FileChannel channel) throws IOException {
        return new Windowed(channel);
    }

    private static final class Whole extends CaptureBytes {
        private final Arena arena;
        private final MemorySegment seg;

        Whole(Arena arena, MemorySegment seg) {
            this.arena = arena;
            this.seg = seg;
        }

        @Override
        long size() {
            return seg.byteSize();
        }

        @Override
        int intLE(long at) {
            return seg.get(MappedCapture.INT_LE, at);
        }

        @Override
        short shortLE(long at) {
            return seg.get(MappedCapture.SHORT_LE, at);
        }

        @Override
        int u8(long at) {
            return seg.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
        }

        @Override
        void copy(long at, byte[] dst, int to, int n) {
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, at, dst, to, n);
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    private static final class Windowed extends CaptureBytes {
        private final FileChannel channel;
        private final long size;
        private Arena arena;
        private MemorySegment window;
        private long start;
        private long end;

        Windowed(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        /** Maps a window holding [at, at + n); the previous window is unmapped. */
        private void slide(long at, long n) {
            if (at < 0 || at + n > size) {
                throw new IndexOutOfBoundsException("offset " + at + "+" + n + " outside file of " + size + " bytes");
            }
            if (arena != null) {
                arena.close();
                arena = null;
            }
            long from = at & ~0xFFFL; // page-aligned start keeps the kernel's read-ahead simple
            long len = Math.min(size - from, Math.max(WINDOW, at + n - from));
            Arena a = Arena.ofShared();
            try {
                window = channel.map(FileChannel.MapMode.READ_ONLY, from, len, a);
            } catch (IOException e) {
                a.close();
                throw new UncheckedIOException(e);
            }
            arena = a;
            start = from;
            end = from + len;
        }

        @Override
        long size() {
            return size;
        }

        @Override
        int intLE(long at) {
            if (at < start || at + 4 > end) {
                slide(at, 4);
            }
            return window.get(MappedCapture.INT_LE, at - start);
        }

        @Override
        short shortLE(long at) {
            if (at < start || at + 2 > end) {
                slide(at, 2);
            }
            return window.get(MappedCapture.SHORT_LE, at - start);
        }

        @Override
        int u8(long at) {
            if (at < start || at + 1 > end) {
                slide(at, 1);
            }
            return window.get(ValueLayout.JAVA_BYTE, at - start) & 0xFF;
        }

        @Override
        void copy(long at, byte[] dst, int to, int n) {
            if (at < start || at + n > end) {
                slide(at, n);
            }
            MemorySegment.copy(window, ValueLayout.JAVA_BYTE, at - start, dst, to, n);
        }

        @Override
        public void close() {
            if (arena != null) {
                arena.close();
                arena = null;
            }
            try {
                channel.close();
            } catch (IOException e) {
                // read-only channel: nothing was written that could be lost
            }
        }
    }
}
