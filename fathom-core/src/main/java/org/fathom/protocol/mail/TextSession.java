package org.fathom.protocol.mail;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.textline.LineAssembler;

/**
 * The common frame of the line-oriented mail dissectors: one {@link LineAssembler} per direction,
 * and a handler that looks at each complete line and says how the flow stands. Subclasses keep
 * their own per-flow fields in the session object, which is the dissector's flow state.
 */
abstract class TextSession {
    static final int MAX_LINE = 1024;

    final LineAssembler[] lines = {new LineAssembler(MAX_LINE), new LineAssembler(MAX_LINE)};
    final int[] lineCount = new int[2];
    int verdict = Dissector.NEED_MORE;
    boolean stop;

    /**
     * Handles one line; returns the verdict so far ({@code NEED_MORE}, {@code MATCH}, {@code DONE},
     * {@code NO}).
     */
    abstract int line(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, boolean overlong);

    /** Feeds a chunk and returns the dissector's answer. */
    final int feed(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        int side = fromClient ? 0 : 1;
        lines[side].feed(b, off, len, (lb, lo, ll) -> {
            lineCount[side]++;
            int v = line(ctx, fromClient, lb, lo, ll, lines[side].overlong());
            if (v == Dissector.NO) {
                verdict = verdict == Dissector.MATCH ? Dissector.DONE : Dissector.NO;
                return false;
            }
            verdict = v;
            return v != Dissector.DONE;
        });
        return verdict;
    }
}
