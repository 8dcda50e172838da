package org.fathom.wire.frames;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Per-flow state of a dissector that reads each direction of a TCP stream as length-prefixed
 * records ({@link RecordFramer}): one framer per direction, made at that direction's first chunk,
 * and the verdict so far. The subclass is the dissector's flow state; it adds its own fields and
 * judges each record in {@link #onRecord}. The state is its framers' sink, so feeding allocates
 * nothing beyond the framers themselves (and the buffer of a record split across chunks).
 *
 * <p>{@link #feed} answers as {@link Dissector#inspect} would: the verdict of the last record
 * judged (NEED_MORE before any), or, when a header cannot be this protocol's, NO (DONE once the
 * flow matched). After a record the framer reads the next one of the chunk while the verdict is
 * NEED_MORE or MATCH, unless the {@link Framing} says to judge one record per chunk.
 */
public abstract class FramedState implements RecordFramer.Sink {
    /**
     * How a protocol's records are framed: a dissector's constant, given with every chunk.
     *
     * @param headerLen bytes of a record header, from which {@code header} reads the record length
     * @param cap       bytes of a record handed over at most (the rest is skipped unseen)
     * @param readOn    false to judge one record per chunk: what follows it in the chunk is left
     *                  unread, and the next chunk is read as the start of a record
     */
    public record Framing(int headerLen, int cap, RecordFramer.Header header, boolean readOn) {
        public Framing(int headerLen, int cap, RecordFramer.Header header) {
            this(headerLen, cap, header, true);
        }
    }

    private RecordFramer toServer;
    private RecordFramer toClient;
    private int verdict = Dissector.NEED_MORE;
    // the flow, direction and framing being fed: set for the duration of feed() only
    private FlowContext feedCtx;
    private boolean feedFromClient;
    private boolean readOn;

    /**
     * Judges one record of one direction, header included ({@code b[off..off+len)}, the first
     * {@code len} of its {@code full} bytes); returns the verdict so far.
     */
    protected abstract int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full);

    /** Feeds one chunk of one direction, framed by {@code f}; returns the dissector's answer. */
    public final int feed(Framing f, FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (feedRecords(f, ctx, fromClient, b, off, len) == RecordFramer.INVALID) {
            return verdict == Dissector.MATCH ? Dissector.DONE : Dissector.NO;
        }
        return verdict;
    }

    /**
     * Feeds one chunk of one direction and returns the framer's status ({@link RecordFramer#OK},
     * {@link RecordFramer#INVALID}, {@link RecordFramer#STOPPED}), for dissectors that answer
     * otherwise than {@link #feed}.
     */
    public final int feedRecords(Framing f, FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        RecordFramer framer = fromClient ? toServer : toClient;
        if (framer == null) {
            framer = new RecordFramer(f.headerLen(), f.cap(), f.header());
            if (fromClient) {
                toServer = framer;
            } else {
                toClient = framer;
            }
        }
        feedCtx = ctx;
        feedFromClient = fromClient;
        readOn = f.readOn();
        try {
            return framer.feed(b, off, len, this);
        } finally {
            feedCtx = null;
        }
    }

    /** Judges a whole message that needs no framing (a UDP datagram) as a record; returns the verdict. */
    public final int datagram(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        verdict = onRecord(ctx, fromClient, b, off, len, len);
        return verdict;
    }

    @Override
    public final boolean record(byte[] b, int off, int len, int full) {
        verdict = onRecord(feedCtx, feedFromClient, b, off, len, full);
        return readOn && (verdict == Dissector.NEED_MORE || verdict == Dissector.MATCH);
    }

    /** Records handed over so far from one direction. */
    public final int records(boolean fromClient) {
        RecordFramer f = fromClient ? toServer : toClient;
        return f == null ? 0 : f.records();
    }

    /** The verdict so far: NEED_MORE until a record was judged. */
    public final int verdict() {
        return verdict;
    }

    /** Sets the verdict (for a message judged outside the framers) and returns it. */
    public final int verdict(int v) {
        verdict = v;
        return v;
    }
}
