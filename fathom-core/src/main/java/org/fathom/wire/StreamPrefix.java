package org.fathom.wire;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Per-flow state for dissectors that judge the first bytes of each direction of a flow. The first
 * chunk of a direction is judged in place (no copy); only when the judge needs more bytes than
 * arrived is the direction's prefix copied into a buffer, which then grows chunk by chunk up to a
 * cap. Because the judge always sees the whole prefix from the stream start, its verdict does not
 * depend on where the stream was split.
 *
 * <p>Rules for a {@link Judge}: answer {@link Dissector#NEED_MORE} while the bytes seen so far do
 * not decide (never NO just because a message is incomplete), {@link #SKIP} for a direction whose
 * bytes it does not need, {@link Dissector#MATCH} when sure and the other direction may still add
 * metadata, {@link Dissector#DONE} when sure and finished, {@link Dissector#NO} when the bytes
 * cannot be the protocol. After one direction matched, the other direction's prefix is still
 * judged (with {@code matched} true) until it answers anything but NEED_MORE; its NO then only
 * ends the inspection.
 *
 * <p>For UDP every datagram is judged on its own: nothing is buffered across datagrams.
 */
public final class StreamPrefix {
    /** Judge answer: this direction's bytes are not needed; do not buffer them. */
    public static final int SKIP = -1;
    private static final int TCP = 6;

    /** Decides on the first bytes of one direction. */
    public interface Judge {
        /**
         * @param matched whether the other direction already matched
         * @param b       the direction's bytes from its start, {@code [off, off + len)}
         */
        int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len);
    }

    private final byte[][] data = new byte[2][];
    private final int[] size = new int[2];
    private final boolean[] finished = new boolean[2];
    private boolean matched;
    /** Free for the dissector's own small per-flow notes. */
    public long note;

    private StreamPrefix() {}

    /** This flow's prefix state, or null before anything needed keeping. */
    public static StreamPrefix of(FlowContext ctx) {
        return ctx.state() instanceof StreamPrefix p ? p : null;
    }

    /** This flow's prefix state, created when missing. */
    public static StreamPrefix attach(FlowContext ctx) {
        StreamPrefix p = of(ctx);
        if (p == null) {
            p = new StreamPrefix();
            ctx.setState(p);
        }
        return p;
    }

    /** Feeds one chunk of one direction and answers as a {@link Dissector#inspect} would. */
    public static int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len, int cap, Judge judge) {
        int side = fromClient ? 0 : 1;
        StreamPrefix st = of(ctx);
        if (st != null && st.finished[side]) {
            return st.finished[1 - side] ? Dissector.DONE : Dissector.MATCH;
        }
        boolean matched = st != null && st.matched;
        int r;
        boolean stream = ctx.l4() == TCP;
        boolean buffered = stream && st != null && st.size[side] > 0;
        if (!buffered) {
            r = judge.judge(ctx, fromClient, matched, buf, off, len);
        } else {
            st.append(side, buf, off, len, cap);
            r = judge.judge(ctx, fromClient, matched, st.data[side], 0, st.size[side]);
        }
        if (r == SKIP) {
            if (st != null) {
                st.data[side] = null;
                st.size[side] = 0;
            }
            return matched ? Dissector.MATCH : Dissector.NEED_MORE;
        }
        if (r == Dissector.NEED_MORE) {
            int have = buffered ? st.size[side] : len;
            if (!stream) {
                return matched ? Dissector.MATCH : Dissector.NEED_MORE;
            }
            if (have >= cap) {
                // the judge could not decide within the cap
                return matched ? Dissector.DONE : Dissector.NO;
            }
            if (!buffered) {
                st = attach(ctx);
                st.append(side, buf, off, len, cap);
            }
            return matched ? Dissector.MATCH : Dissector.NEED_MORE;
        }
        if (r == Dissector.NO) {
            return matched ? Dissector.DONE : Dissector.NO;
        }
        if (r == Dissector.DONE) {
            if (st != null) {
                st.release();
            }
            return Dissector.DONE;
        }
        // MATCH: remember it so that the other direction is judged for metadata
        st = attach(ctx);
        st.matched = true;
        st.finished[side] = true;
        st.data[side] = null;
        st.size[side] = 0;
        return st.finished[1 - side] ? Dissector.DONE : Dissector.MATCH;
    }

    private void append(int side, byte[] buf, int off, int len, int cap) {
        int n = Math.min(len, cap - size[side]);
        if (n <= 0) {
            return;
        }
        byte[] d = data[side];
        if (d == null) {
            d = new byte[Math.min(cap, Math.max(64, n * 2))];
        } else if (d.length < size[side] + n) {
            d = java.util.Arrays.copyOf(d, Math.min(cap, Math.max(d.length * 2, size[side] + n)));
        }
        System.arraycopy(buf, off, d, size[side], n);
        data[side] = d;
        size[side] += n;
    }

    private void release() {
        data[0] = null;
        data[1] = null;
        size[0] = 0;
        size[1] = 0;
    }
}
