package org.fathom.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The bytes of a capture file, addressed by 64-bit file offsets. Files are read with positional
 * reads into one reused heap buffer of {@link #CHUNK} bytes that moves forward as the reader
 * advances, so a capture of any size (over 2 GiB included) costs one buffer per reader, and
 * every frame is read where it lies in that buffer ({@link #hold}) or reaches the reader by an
 * array copy. Tests use whole in-memory segments.
 *
 * <p>Not a memory mapping: mapping the file in windows cost every run a page fault per 64 KiB
 * (the mapping is new in each process, even with the file in the page cache) and a native call
 * per frame copied out of the mapping (the C1 compiler does not make {@code MemorySegment.copy}
 * an intrinsic): on the 1.58 GB benchmark capture about 0.5 s of the reading thread's CPU,
 * against one {@code pread} per 512 KiB and no copy at all per frame.
 */
abstract class CaptureBytes implements AutoCloseable {
    /**
     * The read buffer: larger than any one request (a frame of {@link Packet#MAX_FRAME} with its
     * headers), small enough to stay in a core's L2 cache between the kernel's copy into it and
     * the reader's pass over it (4 MiB was measurably slower for the dispatcher).
     */
    static final int CHUNK = 512 << 10;

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

    /**
     * Makes the bytes [at, at + n) readable where they lie, in {@link #held()}, and returns their
     * offset there; -1 when this implementation has no such buffer (the caller copies). Valid
     * until the next call on this object.
     */
    int hold(long at, int n) {
        return -1;
    }

    /** The buffer {@link #hold} points into. */
    byte[] held() {
        return null;
    }

    @Override
    public abstract void close();

    /** A whole segment (already mapped, or on the heap); {@code arena} is closed with it. */
    static CaptureBytes whole(Arena arena, MemorySegment segment) {
        return new Whole(arena, segment);
    }

    /** A file read chunk by chunk; the channel is closed with it. */
    static CaptureBytes read(FileChannel channel) throws IOException {
        return new Buffered(channel);
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

    private static final class Buffered extends CaptureBytes {
        /**
         * A read buffer each thread keeps between files (a folder of captures is read one file
         * after another): taken when a file is opened, given back when it is closed, so reading
         * allocates nothing per file either. A second file open at once in the same thread gets
         * a buffer of its own.
         */
        private static final ThreadLocal<ByteBuffer> SPARE = new ThreadLocal<>();

        private final FileChannel channel;
        private final long size;
        private final ByteBuffer buffer;
        private final byte[] b;
        private boolean closed;
        /** The file's bytes [start, end) are in {@code b[0 .. end - start)}. */
        private long start;
        private long end;

        Buffered(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
            ByteBuffer spare = SPARE.get();
            if (spare != null) {
                SPARE.remove();
            } else {
                spare = ByteBuffer.allocate(CHUNK);
            }
            this.buffer = spare;
            this.b = spare.array();
        }

        /** Reads the chunk holding [at, at + n) (n <= CHUNK), starting at the page of {@code at}. */
        private void fill(long at, int n) {
            if (n > CHUNK) {
                throw new IllegalArgumentException(n + " bytes asked at once, more than the read buffer's " + CHUNK);
            }
            if (at < 0 || at + n > size) {
                throw new IndexOutOfBoundsException("offset " + at + "+" + n + " outside file of " + size + " bytes");
            }
            long from = at & ~0xFFFL;
            if (at + n - from > CHUNK) {
                from = at;
            }
            ByteBuffer buf = buffer;
            buf.clear().limit((int) Math.min(CHUNK, size - from));
            try {
                while (buf.hasRemaining()) {
                    if (channel.read(buf, from + buf.position()) < 0) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            start = from;
            end = from + buf.position();
            if (at + n > end) {
                throw new UncheckedIOException(new java.io.EOFException("capture file shrank while being read: "
                        + (at + n) + " of " + size + " bytes could not be read"));
            }
        }

        @Override
        long size() {
            return size;
        }

        @Override
        int intLE(long at) {
            int i = hold(at, 4);
            return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
        }

        @Override
        short shortLE(long at) {
            int i = hold(at, 2);
            return (short) ((b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8);
        }

        @Override
        int u8(long at) {
            return b[hold(at, 1)] & 0xFF;
        }

        @Override
        void copy(long at, byte[] dst, int to, int n) {
            System.arraycopy(b, hold(at, n), dst, to, n);
        }

        /** {@code n} is at most {@link #CHUNK} (a frame is at most {@link Packet#MAX_FRAME}). */
        @Override
        int hold(long at, int n) {
            if (at < start || at + n > end) {
                fill(at, n);
            }
            return (int) (at - start);
        }

        @Override
        byte[] held() {
            return b;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                start = end = 0;
                SPARE.set(buffer);
            }
            try {
                channel.close();
            } catch (IOException e) {
                // read-only channel: nothing was written that could be lost
            }
        }
    }
}
