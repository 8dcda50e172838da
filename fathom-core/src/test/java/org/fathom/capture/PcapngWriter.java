package org.fathom.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a pcapng file in memory block by block. Each section has its own byte order; every
 * block written after {@link #section} uses it. Block offsets are remembered for assertions.
 */
final class PcapngWriter {
    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 1;
    static final int OPB = 2;
    static final int SPB = 3;
    static final int NRB = 4;
    static final int ISB = 5;
    static final int EPB = 6;
    static final int CUSTOM = 0x00000BAD;

    /** An option of an interface description block; encoded in the section's byte order. */
    sealed interface IfOption {
        static IfOption tsresol(int value) {
            return new Raw(9, new byte[] {(byte) value});
        }

        static IfOption tsoffset(long seconds) {
            return new TsOffset(seconds);
        }

        static IfOption name(String name) {
            return new Raw(2, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        record Raw(int code, byte[] value) implements IfOption {}

        record TsOffset(long seconds) implements IfOption {}
    }

    private final ByteSink out = new ByteSink();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private final List<Long> blockOffsets = new ArrayList<>();

    /** A section header block (version 1.0, section length unknown). */
    PcapngWriter section(ByteOrder order) {
        return section(order, 1);
    }

    PcapngWriter section(ByteOrder order, int major) {
        this.order = order;
        ByteSink body = new ByteSink().u32(0x1A2B3C4D, order).u16(major, order).u16(0, order)
                .u64(-1L, order);
        return block(SHB, body.toArray());
    }

    PcapngWriter interfaceBlock(int linkType, int snaplen, IfOption... options) {
        ByteSink body = new ByteSink().u16(linkType, order).u16(0, order).u32(snaplen, order);
        if (options.length > 0) {
            for (IfOption o : options) {
                switch (o) {
                    case IfOption.Raw r -> body.u16(r.code(), order).u16(r.value().length, order).bytes(r.value()).pad4();
                    case IfOption.TsOffset t -> body.u16(14, order).u16(8, order).u64(t.seconds(), order);
                }
            }
            body.u32(0, order);   // opt_endofopt
        }
        return block(IDB, body.toArray());
    }

    /** An enhanced packet block whose captured and wire lengths are the frame's length. */
    PcapngWriter enhanced(int iface, long timestamp, byte[] frame) {
        return enhanced(iface, timestamp, frame.length, frame.length, frame);
    }

    PcapngWriter enhanced(int iface, long timestamp, long capLen, long wireLen, byte[] data) {
        ByteSink body = new ByteSink().u32(iface, order).u32(timestamp >>> 32, order).u32(timestamp, order)
                .u32(capLen, order).u32(wireLen, order).bytes(data).pad4();
        return block(EPB, body.toArray());
    }

    /** A simple packet block (no interface id, no timestamp: interface 0 is implied). */
    PcapngWriter simple(long wireLen, byte[] data) {
        return block(SPB, new ByteSink().u32(wireLen, order).bytes(data).pad4().toArray());
    }

    /** The obsolete packet block (type 2) of pcapng drafts. */
    PcapngWriter obsolete(int iface, long timestamp, byte[] frame) {
        ByteSink body = new ByteSink().u16(iface, order).u16(0, order)   // drops count
                .u32(timestamp >>> 32, order).u32(timestamp, order)
                .u32(frame.length, order).u32(frame.length, order).bytes(frame).pad4();
        return block(OPB, body.toArray());
    }

    /** Any block: header, the body padded to 4 bytes, trailer. */
    PcapngWriter block(int type, byte[] body) {
        int padded = (body.length + 3) & ~3;
        long total = 12L + padded;
        return block(type, total, body, total);
    }

    /** A block with explicit header and trailer lengths (for damage); the body is padded to 4. */
    PcapngWriter block(int type, long headerLength, byte[] body, long trailerLength) {
        blockOffsets.add((long) out.size());
        out.u32(type, order).u32(headerLength, order).bytes(body);
        for (int k = body.length; (k & 3) != 0; k++) {
            out.u8(0);   // padded relative to the block: garbage before it may have shifted it
        }
        out.u32(trailerLength, order);
        return this;
    }

    /** Bytes as they are, e.g. garbage between blocks. */
    PcapngWriter raw(byte... bytes) {
        out.bytes(bytes);
        return this;
    }

    /** Byte offset of the i-th block (section headers included). */
    long offsetOf(int i) {
        return blockOffsets.get(i);
    }

    long lastOffset() {
        return blockOffsets.getLast();
    }

    int size() {
        return out.size();
    }

    ByteOrder order() {
        return order;
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
