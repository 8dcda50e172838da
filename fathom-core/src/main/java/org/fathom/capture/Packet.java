package org.fathom.capture;

/**
 * One captured frame, as a reusable view: a {@link PacketSource} overwrites the same instance for
 * every record, so nothing here may be kept after the next call to {@code next}.
 *
 * <p>A file reader points {@link #data} at the frame in its read buffer; live sources copy the
 * frame into the packet's own buffer. Every later stage reads it from there (cache-hot).
 */
public final class Packet {
    /** Largest frame kept; libpcap's own maximum snapshot length. Longer frames are cut. */
    public static final int MAX_FRAME = 262_144;

    /**
     * Frame bytes, valid from {@link #offset} to {@code offset + length}: the packet's own buffer
     * (offset 0), a window into a capture file's read buffer (a file reader), or a window into a
     * dispatch ring's arena when a worker reads a handed-over frame.
     */
    public byte[] data;
    /** Where the frame starts in {@link #data}: 0 in the packet's own buffer. */
    public int offset;
    /** Bytes valid in {@link #data}: the captured length, or less when only a prefix was copied. */
    public int length;
    /** Captured length of the frame (what {@link #length} becomes once the frame is complete). */
    public int frameLength;
    /** Length of the frame on the wire (the record's original length). */
    public int wireLength;
    /** Capture time, nanoseconds since the Unix epoch (UTC). */
    public long timestampNanos;
    /** Link-layer header type of the interface this frame was captured on (LINKTYPE_* value). */
    public int linkType;
    /** Byte offset of this record in its capture file, for messages. */
    public long fileOffset;

    /** The buffer the packet was made with; {@link #data} may point elsewhere (see there). */
    private final byte[] own;

    /** A packet with its own buffer of {@link #MAX_FRAME} bytes, for readers. */
    public Packet() {
        this.data = this.own = new byte[MAX_FRAME];
    }

    /** A view whose {@link #data} the caller points at frames held elsewhere (a ring's arena). */
    public Packet(byte[] data) {
        this.data = this.own = data;
    }

    /**
     * Points {@link #data} back at the packet's own buffer, offset 0, and returns it: for a
     * source that writes a frame into the packet (a file reader may have pointed it into its
     * read buffer).
     */
    public byte[] own() {
        offset = 0;
        return data = own;
    }
}
