package org.fathom.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A buffered output file of JSON lines that never ends in half a record: it remembers where the
 * last complete line ends, and when a write fails (full disk, quota, device error) it cuts the
 * file back to that point before reporting the failure. After a failure nothing more is written.
 * (Standard output and pipes cannot be cut back; they are not written through this class.)
 */
public final class WholeLineFile extends OutputStream {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    /** Bytes of the file up to and including the last newline written. */
    private long committed;
    /** Bytes the channel has taken. */
    private long written;
    private IOException failure;

    private WholeLineFile(FileChannel ch) {
        this.ch = ch;
    }

    /** Creates (or truncates) the file. */
    public static OutputStream open(Path file) throws IOException {
        return new WholeLineFile(FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING));
    }

    @Override
    public void write(int b) throws IOException {
        if (!buf.hasRemaining()) {
            drain();
        }
        buf.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buf.hasRemaining()) {
                drain();
            }
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
    }

    @Override
    public void close() throws IOException {
        try {
            if (failure == null) {
                drain();
            }
        } finally {
            ch.close();
        }
    }

    private void drain() throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                int start = buf.position();
                int n = ch.write(buf);
                for (int i = start + n - 1; i >= start; i--) {
                    if (buf.get(i) == '\n') {
                        committed = written + (i - start) + 1;
                        break;
                    }
                }
                written += n;
            }
        } catch (IOException e) {
            failure = e;
            try {
                ch.truncate(committed);   // no half record at the end of the file
            } catch (IOException | RuntimeException ignored) {
                // a device or pipe cannot be cut back
            }
            throw e;
        } finally {
            buf.clear();
        }
    }
}
