package org.fathom.capture;

import java.util.List;

/**
 * Where packets come from: a capture file today, a live interface or a kernel queue next. One
 * worker loop serves them all ({@code org.fathom.pipeline.Engine}); a source only says what it
 * has: a packet, nothing for now ({@link #IDLE}, so that time can still move on and idle flows
 * expire when a link goes quiet), or the end.
 *
 * <p>Implementations never throw for damaged content: they stop or resynchronise and record a
 * {@link CaptureWarning}. The {@link Packet} filled by {@link #read} is the source's to overwrite
 * at the next call.
 */
public interface PacketSource extends AutoCloseable {
    /** {@link #read} filled the packet. */
    int PACKET = 1;
    /**
     * {@link #read} found no packet within the source's poll interval; the packet's
     * {@link Packet#timestampNanos} holds the source's clock (wall time for a live source), so the
     * engine can advance time without traffic.
     */
    int IDLE = 0;
    /** The source has ended (end of file, interface gone, stop requested). */
    int END = -1;

    /**
     * Fills {@code packet} with the next frame.
     *
     * @return {@link #PACKET}, {@link #IDLE} or {@link #END}
     */
    int read(Packet packet);

    /**
     * From now on {@link #read} copies only the first {@code bytesPerFrame} bytes of each frame
     * ({@link Packet#length} is then the copied length, {@link Packet#frameLength} the whole);
     * {@link #complete} or {@link #copyFrame} fetch the rest when it turns out to be needed. Lets
     * the dispatcher look at headers without paying twice for payloads it only hands on.
     */
    void copyPrefixOnly(int bytesPerFrame);

    /**
     * The caller honours {@link Packet#offset} and never writes into {@link Packet#data}: from now
     * on {@link #read} may point the packet at the frame where it lies (a file reader's read
     * buffer) instead of copying it into the packet's own buffer. Off unless asked for (tests and
     * tools may read {@code data} from 0); the engine asks.
     */
    default void readInPlace() {
    }

    /** Copies the whole of the frame last read into {@code packet} (no-op when already whole). */
    void complete(Packet packet);

    /**
     * Copies the whole captured frame last read ({@link Packet#frameLength} bytes) to
     * {@code dst[at..]}, which has room for it. {@code read} is the packet {@link #read} filled: a
     * source may copy from it when it already holds the whole frame.
     */
    default void copyFrame(Packet read, byte[] dst, int at) {
        complete(read);
        System.arraycopy(read.data, read.offset, dst, at, read.frameLength);
    }

    /** Name for messages and summaries: the file, or the interface. */
    String name();

    /** Format name, e.g. "pcap (microseconds, little-endian)" or "live (Ethernet)". */
    String format();

    /** Bytes consumed so far, for progress; 0 where it has no meaning. */
    long position();

    /** Total bytes, for progress; 0 when unknown (live). */
    long size();

    /** Warnings so far: damage, frames cut to {@link Packet#MAX_FRAME}, drops. */
    List<CaptureWarning> warnings();

    @Override
    void close();
}
