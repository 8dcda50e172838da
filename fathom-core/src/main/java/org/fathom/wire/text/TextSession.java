package org.fathom.wire.text;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;

/**
 * The common frame of line-oriented dissectors (FTP, SMTP, POP3, IMAP): one {@link LineAssembler}
 * per direction, and a handler that looks at each complete line and says how the flow stands.
 * Subclasses keep their own per-flow fields in the session object, which is the dissector's flow
 * state; what all these protocols share (a server greeting, client commands, a possible switch to
 * TLS, see {@link StartTls}) is kept here. Metadata and risks noted before the flow is recognised
 * are held back (a few at most) and only given to the flow once the verdict is MATCH or DONE, so
 * that a dissector that ends up saying NO leaves nothing behind.
 */
public abstract class TextSession {
    public static final int MAX_LINE = 1024;
    private static final int MAX_PENDING = 4;

    private final LineAssembler[] lines = {new LineAssembler(MAX_LINE), new LineAssembler(MAX_LINE)};
    protected int verdict = Dissector.NEED_MORE;
    /** Whether the server's greeting was seen. */
    protected boolean greeted;
    /** Whether the client sent a command that can open a session (for SMTP: its hello). */
    protected boolean command;
    /** Whether the client asked to switch to TLS and no final answer came yet. */
    boolean tlsRequested;
    private String[] pendingKeys;
    private Object[] pendingValues;
    private int pending;
    private long pendingRisks;

    /**
     * Handles one line (CR LF removed, cut to {@link #MAX_LINE}); returns the verdict so far
     * ({@code NEED_MORE}, {@code MATCH}, {@code DONE}, {@code NO}).
     */
    protected abstract int line(FlowContext ctx, boolean fromClient, byte[] b, int off, int len);

    /** The verdict so far. */
    public final int verdict() {
        return verdict;
    }

    /** Records metadata now if the flow is recognised, else when it is. */
    protected final void note(FlowContext ctx, String key, Object value) {
        if (verdict == Dissector.MATCH || verdict == Dissector.DONE) {
            ctx.put(key, value);
            return;
        }
        if (pendingKeys == null) {
            pendingKeys = new String[MAX_PENDING];
            pendingValues = new Object[MAX_PENDING];
        }
        for (int i = 0; i < pending; i++) {
            if (pendingKeys[i].equals(key)) {
                pendingValues[i] = value;
                return;
            }
        }
        if (pending < MAX_PENDING) {
            pendingKeys[pending] = key;
            pendingValues[pending] = value;
            pending++;
        }
    }

    /** Marks a risk now if the flow is recognised, else when it is. */
    protected final void risk(FlowContext ctx, Risk r) {
        if (verdict == Dissector.MATCH || verdict == Dissector.DONE) {
            ctx.addRisk(r);
        } else {
            pendingRisks |= 1L << r.ordinal();
        }
    }

    /** Whether a note under {@code key} is held or was given. */
    protected final boolean noted(FlowContext ctx, String key) {
        for (int i = 0; i < pending; i++) {
            if (pendingKeys[i].equals(key)) {
                return true;
            }
        }
        return ctx.get(key) != null;
    }

    // the flow and direction being fed: set for the duration of feed() only
    private FlowContext feedCtx;
    private boolean feedFromClient;
    private final LineAssembler.Sink sink = (lb, lo, ll) -> {
        int v = line(feedCtx, feedFromClient, lb, lo, ll);
        if (v == Dissector.NO) {
            verdict = verdict == Dissector.MATCH ? Dissector.DONE : Dissector.NO;
            return false;
        }
        verdict = v;
        if ((v == Dissector.MATCH || v == Dissector.DONE) && (pending > 0 || pendingRisks != 0)) {
            flush(feedCtx);
        }
        return v != Dissector.DONE;
    };

    /** Feeds a chunk and returns the dissector's answer. Allocates nothing unless a line is split. */
    public final int feed(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        feedCtx = ctx;
        feedFromClient = fromClient;
        try {
            lines[fromClient ? 0 : 1].feed(b, off, len, sink);
        } finally {
            feedCtx = null;
        }
        return verdict;
    }

    private void flush(FlowContext ctx) {
        for (int i = 0; i < pending; i++) {
            ctx.put(pendingKeys[i], pendingValues[i]);
            pendingKeys[i] = null;
            pendingValues[i] = null;
        }
        pending = 0;
        for (Risk r : Risk.values()) {
            if ((pendingRisks & (1L << r.ordinal())) != 0) {
                ctx.addRisk(r);
            }
        }
        pendingRisks = 0;
    }
}
