package org.fathom.protocol.postgres;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;
import org.fathom.wire.text.Ascii;

/**
 * PostgreSQL's frontend/backend protocol (PostgreSQL documentation, "Message Formats"). The client
 * opens with an untyped message: SSLRequest (length 8, code 80877103), GSSENCRequest (80877104),
 * CancelRequest (length 16, 80877102) or StartupMessage (protocol 3.0 or 2.0, then NUL-terminated
 * parameter names and values ending with an empty name). The server answers an SSLRequest with one
 * byte, {@code S} (TLS follows: {@code postgresql.tls} true) or {@code N}. A server asking for the
 * cleartext password (AuthenticationCleartextPassword) marks the flow
 * {@link Risk#CLEARTEXT_CREDENTIALS} (the password itself is never read).
 */
public final class PostgresDissector implements Dissector {
    static final int CAP = 1024;
    static final long SSL_REQUEST = 80877103;
    static final long GSSENC_REQUEST = 80877104;
    static final long CANCEL_REQUEST = 80877102;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("PostgreSQL", "Database", 5432).withProbeDepth(3);
    private static final RecordFramer.Header LENGTH = (b, o) -> {
        long l = be32(b, o);
        return l < 8 || l > 10_000 ? -1 : (int) l;
    };

    /** Framing of the TCP messages; only the first message is judged. */
    private static final FramedState.Framing FRAMING = new FramedState.Framing(4, CAP, LENGTH, false);

    /** The client's first message is framed; the server's first bytes are read by hand. */
    static final class State extends FramedState {
        long firstCode = -1;
        boolean awaitingSslAnswer;
        final byte[] server = new byte[9];
        int serverLen;
        boolean serverDone;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            return first(this, b, off, len, full) ? MATCH : NO;
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            if (!fromClient || len < 1 || b[off] != 0) {
                return NO; // the length of the first message is below 2^24
            }
            if (len >= 8) {
                long code = be32(b, off + 4);
                if (code != SSL_REQUEST && code != GSSENC_REQUEST && code != CANCEL_REQUEST && code != 0x0003_0000L && code != 0x0002_0000L) {
                    return NO;
                }
            }
            st = new State();
            ctx.setState(st);
        }
        if (!fromClient) {
            return server(ctx, st, b, off, len);
        }
        if (st.firstCode >= 0) {
            // after a refused SSLRequest the client sends its StartupMessage: nothing more to learn
            return st.verdict();
        }
        return st.feed(FRAMING, ctx, true, b, off, len);
    }

    private static boolean first(State st, byte[] b, int o, int n, int full) {
        if (n < 8) {
            return false;
        }
        long code = be32(b, o + 4);
        st.firstCode = code;
        if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
            st.awaitingSslAnswer = true;
            return full == 8;
        }
        if (code == CANCEL_REQUEST) {
            return full == 16;
        }
        if (code != 0x0003_0000L && code != 0x0002_0000L) {
            return false;
        }
        if (n != full) {
            return full > CAP; // a long startup message: its head was right
        }
        // parameters: name NUL value NUL ... NUL; names are non-empty text
        int p = o + 8;
        int end = o + n;
        int pairs = 0;
        while (p < end) {
            if (b[p] == 0) {
                return p == end - 1 && pairs > 0;
            }
            int nameEnd = indexOf(b, p, end, (byte) 0);
            if (nameEnd < 0 || !Ascii.allText(b, p, nameEnd - p)) {
                return false;
            }
            int valueEnd = indexOf(b, nameEnd + 1, end, (byte) 0);
            if (valueEnd < 0) {
                return false;
            }
            pairs++;
            p = valueEnd + 1;
        }
        return false;
    }

    private static int server(FlowContext ctx, State st, byte[] b, int off, int len) {
        if (st.verdict() != MATCH || st.serverDone) {
            return st.verdict() == MATCH ? MATCH : NO;
        }
        if (st.awaitingSslAnswer && st.serverLen == 0) {
            st.awaitingSslAnswer = false;
            int c = b[off];
            if (c == 'S') {
                ctx.put(Registration.POSTGRESQL_TLS.key(), Boolean.TRUE);
                return DONE;
            }
            if (c != 'N' && c != 'E') {
                return NO;
            }
            if (c == 'N') {
                off++; // the StartupMessage follows in clear
                len--;
                if (len == 0) {
                    return MATCH;
                }
            }
        }
        // the first typed message: 'R' length 8, auth code
        int n = Math.min(len, st.server.length - st.serverLen);
        System.arraycopy(b, off, st.server, st.serverLen, n);
        st.serverLen += n;
        if (st.serverLen < st.server.length) {
            return MATCH;
        }
        st.serverDone = true;
        if (st.server[0] == 'R' && be32(st.server, 1) == 8 && be32(st.server, 5) == 3) {
            ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
        }
        return DONE;
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    static long be32(byte[] b, int q) {
        return (((b[q] & 0xFF) << 24) | ((b[q + 1] & 0xFF) << 16) | ((b[q + 2] & 0xFF) << 8) | (b[q + 3] & 0xFF)) & 0xFFFF_FFFFL;
    }
}
