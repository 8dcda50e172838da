package org.fathom.capture;

import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Base for file readers: the file's bytes by 64-bit offset ({@link CaptureBytes}, read through a
 * buffer that moves forward), little helpers for fixed-order integer reads, and the bounded
 * warning list. (Named when files were mapped.)
 */
abstract class MappedCapture implements CaptureReader {
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_WARNINGS = 50;

    final Path file;
    final CaptureBytes bytes;
    final long size;
    /** True when the file's multi-byte fields are big-endian. */
    boolean bigEndian;
    long pos;
    private final List<CaptureWarning> warnings = new ArrayList<>();
    private long suppressedWarnings;

    MappedCapture(Path file, CaptureBytes bytes) {
        this.file = file;
        this.bytes = bytes;
        this.size = bytes.size();
    }

    final int u32(long at) {
        int v = bytes.intLE(at);
        return bigEndian ? Integer.reverseBytes(v) : v;
    }

    final int u16(long at) {
        short v = bytes.shortLE(at);
        return (bigEndian ? Short.reverseBytes(v) : v) & 0xFFFF;
    }

    final long u32L(long at) {
        return u32(at) & 0xFFFF_FFFFL;
    }

    /** 0: copy whole frames; otherwise copy at most this many bytes until {@link #complete}. */
    private int prefix;
    private long frameAt;
    private int frameLen;

    @Override
    public final void copyPrefixOnly(int bytesPerFrame) {
        prefix = bytesPerFrame;
    }

    /** The file could not be read on: every later {@link #read} says the input has ended. */
    private boolean unreadable;

    /**
     * As {@link CaptureReader#read}; when the file cannot be read on (an I/O error, or the file
     * shrank while being read), a warning says where and the input ends there: the packets read
     * so far, and every record made of them, are kept.
     */
    @Override
    public final int read(Packet packet) {
        if (unreadable) {
            return END;
        }
        try {
            return next(packet) ? PACKET : END;
        } catch (UncheckedIOException e) {
            unreadable = true;
            Throwable why = e.getCause() != null ? e.getCause() : e;
            warn(pos, "cannot read on (" + why.getMessage() + "); the rest of the file is skipped");
            pos = size;
            return END;
        }
    }

    /** {@link #readInPlace} was asked for: frames may be left in the read buffer. */
    private boolean inPlace;

    @Override
    public final void readInPlace() {
        inPlace = true;
    }

    @Override
    public final void complete(Packet packet) {
        if (packet.length < frameLen) {
            place(packet, frameAt, frameLen);
            packet.length = frameLen;
        }
    }

    @Override
    public final void copyFrame(Packet read, byte[] dst, int at) {
        if (read.length >= frameLen) {
            System.arraycopy(read.data, read.offset, dst, at, frameLen);
        } else {
            bytes.copy(frameAt, dst, at, frameLen);
        }
    }

    /** Puts a frame into the packet ({@link #place}), cutting it to {@link Packet#MAX_FRAME}. */
    final void copyFrame(Packet packet, long at, int capLen, int wireLen, long tsNanos, int linkType, long recordOffset) {
        int n = capLen;
        if (n > Packet.MAX_FRAME) {
            warn(recordOffset, "frame of " + capLen + " bytes cut to " + Packet.MAX_FRAME);
            n = Packet.MAX_FRAME;
        }
        frameAt = at;
        frameLen = n;
        packet.frameLength = n;
        if (prefix > 0 && n > prefix) {
            n = prefix;
        }
        place(packet, at, n);
        packet.length = n;
        packet.wireLength = Math.max(wireLen, n);
        packet.timestampNanos = tsNanos;
        packet.linkType = linkType;
        packet.fileOffset = recordOffset;
    }

    /**
     * Puts the file's bytes [at, at + n) into the packet: after {@link #readInPlace}, where they lie
     * in the read buffer (no copy); otherwise copied into the packet's own buffer.
     */
    private void place(Packet packet, long at, int n) {
        int held = inPlace ? bytes.hold(at, n) : -1;
        if (held >= 0) {
            packet.data = bytes.held();
            packet.offset = held;
        } else {
            bytes.copy(at, packet.own(), n);
        }
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
        bytes.close();
    }
}
