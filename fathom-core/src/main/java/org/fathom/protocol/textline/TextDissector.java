package org.fathom.protocol.textline;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Base of the line-oriented dissectors (FTP, SMTP, POP3, IMAP): the flow state is a
 * {@link TextSession}, made at the first payload that can open a session of the protocol
 * ({@link #opens}, a cheap check before any allocation), then fed every chunk.
 */
public abstract class TextDissector implements Dissector {
    private final Descriptor descriptor;

    protected TextDissector(Descriptor descriptor) {
        this.descriptor = descriptor;
    }

    @Override
    public final Descriptor descriptor() {
        return descriptor;
    }

    /** Whether a flow's first payload, from the client or the server, can open a session. */
    protected abstract boolean opens(boolean fromClient, byte[] b, int off, int len);

    /** A new session, the state of one flow. */
    protected abstract TextSession newSession();

    @Override
    public final int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        TextSession s = (TextSession) ctx.state();
        if (s == null) {
            if (!opens(fromClient, b, off, len)) {
                return NO;
            }
            s = newSession();
            ctx.setState(s);
        }
        return s.feed(ctx, fromClient, b, off, len);
    }
}
