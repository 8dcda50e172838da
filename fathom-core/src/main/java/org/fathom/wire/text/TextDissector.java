package org.fathom.wire.text;

import java.util.function.Supplier;
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
    private final Supplier<? extends TextSession> sessions;
    private final String[] firstCommands;
    private final String greeting;

    /**
     * A dissector whose client opens with one of {@code firstCommands} and whose server greets
     * with a line starting {@code greeting}.
     *
     * @param sessions makes the session of a new flow
     */
    protected TextDissector(Descriptor descriptor, Supplier<? extends TextSession> sessions, String[] firstCommands, String greeting) {
        this.descriptor = descriptor;
        this.sessions = sessions;
        this.firstCommands = firstCommands;
        this.greeting = greeting;
    }

    /** A dissector that says itself which first payloads open a session ({@link #opens}). */
    protected TextDissector(Descriptor descriptor, Supplier<? extends TextSession> sessions) {
        this(descriptor, sessions, null, null);
    }

    @Override
    public final Descriptor descriptor() {
        return descriptor;
    }

    /**
     * Whether a flow's first payload, from the client or the server, can open a session: by
     * default the client's first bytes can begin one of the first commands and the server's the
     * greeting (either check is left out when not given).
     */
    protected boolean opens(boolean fromClient, byte[] b, int off, int len) {
        if (fromClient) {
            return firstCommands == null || Ascii.commandPrefix(b, off, len, firstCommands);
        }
        return greeting == null || Ascii.couldStartWith(b, off, len, greeting);
    }

    @Override
    public final int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        TextSession s = (TextSession) ctx.state();
        if (s == null) {
            if (!opens(fromClient, b, off, len)) {
                return NO;
            }
            s = sessions.get();
            ctx.setState(s);
        }
        return s.feed(ctx, fromClient, b, off, len);
    }
}
