package org.fathom.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a classic libpcap file in memory, byte by byte, so tests can state exactly what is in
 * it, damage included. Record offsets are remembered for assertions on warnings.
 */
final class PcapWriter {
    /** The three magic numbers; Kuznetzov's patched format has 8 more bytes per record header. */
    enum Magic {
        MICROS(0xa1b2c3d4L, 16),
        NANOS(0xa1b23c4dL, 16),
        KUZNETZOV(0xa1b2cd34L, 24);

        final long value;
        final int recordHeader;

        Magic(long value, int recordHeader) {
            this.value = value;
            this.recordHeader = recordHeader;
        }
    }

    static final int FILE_HEADER = 24;

    private final ByteSink out = new ByteSink();
    private final Magic magic;
    private final ByteOrder order;
    private final List<Long> recordOffsets = new ArrayList<>();

    PcapWriter(Magic magic, ByteOrder order, int linkType) {
        this(magic, order, linkType, 262_144);
    }

    /** @param network the whole link-type field (FCS bits included) */
    PcapWriter(Magic magic, ByteOrder order, long network, int snaplen) {
        this.magic = magic;
        this.order = order;
        out.u32(magic.value, order).u16(2, order).u16(4, order)
                .u32(0, order)          // thiszone
                .u32(0, order)          // sigfigs
                .u32(snaplen, order)
                .u32(network, order);
    }

    /** A record whose captured and wire lengths are the frame's length. */
    PcapWriter record(long seconds, long fraction, byte[] frame) {
        return record(seconds, fraction, frame.length, frame.length, frame);
    }

    /**
     * A record with the given header fields followed by {@code data} verbatim; {@code capLen}
     * need not match {@code data.length} (that is how damage is made).
     */
    PcapWriter record(long seconds, long fraction, long capLen, long wireLen, byte[] data) {
        recordOffsets.add((long) out.size());
        out.u32(seconds, order).u32(fraction, order).u32(capLen, order).u32(wireLen, order);
        if (magic == Magic.KUZNETZOV) {
            out.u32(7, order).u16(0x0800, order).u8(0).u8(0);   // ifindex, protocol, pkt_type, pad
        }
        out.bytes(data);
        return this;
    }

    /** Bytes as they are, e.g. garbage between records. */
    PcapWriter raw(byte... bytes) {
        out.bytes(bytes);
        return this;
    }

    /** Byte offset of the i-th record written with {@code record}. */
    long offsetOf(int i) {
        return recordOffsets.get(i);
    }

    int size() {
        return out.size();
    }

    byte[] toBytes() {
        return out.toArray();
    }

    Path writeTo(Path file) {
        try {
            return Files.write(file, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
