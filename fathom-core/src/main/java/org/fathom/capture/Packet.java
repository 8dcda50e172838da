package org.fathom.capture;

/**
 * One captured frame, as a reusable view: a {@link PacketSource} overwrites the same instance for
 * every record, so nothing here may be kept after the next call to {@code next}.
 *
 * <p>The frame bytes are copied once out of the capture file's read buffer into {@link #data};
 * every later stage reads them from there (cache-hot).
 */
public final class Packet {
    /** Largest frame kept; libpcap's own maximum snapshot length. Longer frames are cut. */
    public static final int MAX_FRAME = 262_144;

    /**
     * Frame bytes, valid from {@link #offset} to {@code offset + length}: a reader's own buffer
     * (offset 0), or a window into a dispatch ring's arena when a worker reads a handed-over frame.
     */
    public byte[] data;
    /** Where the frame starts in {@link #data}: 0 except for views into a dispatch ring. */
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

    /** A packet with its own buffer of {@link #MAX_FRAME} bytes, for readers. */
    public Packet() {
        this.data = new byte[MAX_FRAME];
    }

    /** A view whose {@link #data} the caller points at frames held elsewhere (a ring's arena). */
    public Packet(byte[] data) {
        this.data = data;
    }
}
