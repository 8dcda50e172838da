package org.fathom.protocol.rsync;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.text.Ascii;

/**
 * The rsync daemon protocol (rsyncd, TCP 873): both sides open with the greeting
 * {@code @RSYNCD: <major>.<minor>} on a line of its own. Contributes {@code rsync.version}.
 */
public final class RsyncDissector implements Dissector {
    static final String GREETING = "@RSYNCD: ";
    static final int MAX_VERSION = 8;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("RSYNC", "DataTransfer", 873).withProbeDepth(3);

    static final class State {
        final byte[][] buf = {new byte[GREETING.length() + MAX_VERSION + 1], new byte[GREETING.length() + MAX_VERSION + 1]};
        final int[] len = new int[2];
        final boolean[] done = new boolean[2];
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            if (!Ascii.couldStartWith(b, off, len, GREETING)) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        int side = fromClient ? 0 : 1;
        if (st.done[side]) {
            return st.done[0] && st.done[1] ? DONE : MATCH;
        }
        byte[] m = st.buf[side];
        int n = Math.min(len, m.length - st.len[side]);
        System.arraycopy(b, off, m, st.len[side], n);
        st.len[side] += n;
        int have = st.len[side];
        boolean other = st.done[1 - side];
        if (!Ascii.couldStartWith(m, 0, have, GREETING)) {
            return other ? DONE : NO;
        }
        int g = GREETING.length();
        if (have <= g) {
            return other ? MATCH : NEED_MORE;
        }
        if (!Ascii.isDigit(m[g])) {
            return other ? DONE : NO;
        }
        int e = g;
        while (e < have && (Ascii.isDigit(m[e]) || m[e] == '.')) {
            e++;
        }
        if (e == have && have < m.length) {
            return MATCH; // the version may go on
        }
        st.done[side] = true;
        if (ctx.get(Registration.RSYNC_VERSION.key()) == null) {
            ctx.put(Registration.RSYNC_VERSION.key(), Ascii.string(m, g, Math.min(e - g, MAX_VERSION), MAX_VERSION));
        }
        return st.done[0] && st.done[1] ? DONE : MATCH;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes('@');

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
