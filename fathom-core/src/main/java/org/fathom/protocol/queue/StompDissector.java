package org.fathom.protocol.queue;

import static org.fathom.wire.Bytes.ascii;
import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.isPrintable;
import static org.fathom.wire.Bytes.prefixOf;
import static org.fathom.wire.Bytes.regionEquals;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.PrefixDissector;

/**
 * STOMP 1.0-1.2 over TCP. A session opens with a CONNECT or STOMP frame: the command alone on its
 * line, then {@code name:value} header lines up to a blank line, among them {@code accept-version}
 * or {@code host} (1.1+) or {@code login} (1.0). Mid-session, a SEND, SUBSCRIBE or MESSAGE frame
 * with a {@code destination} header is accepted. From the server's CONNECTED frame come
 * {@code stomp.version} and {@code stomp.server}; a {@code passcode} header raises
 * {@link Risk#CLEARTEXT_CREDENTIALS}.
 */
public final class StompDissector extends PrefixDissector {
    static final int CAP = 2048;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("STOMP", "RPC", 61613).withProbeDepth(4);
    private static final String[] OPENING = {"CONNECT", "STOMP"};
    private static final String[] MID = {"SEND", "SUBSCRIBE", "MESSAGE"};

    public StompDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (matched) {
            if (fromClient) {
                return DONE;
            }
            int r = startsCommand(b, off, len, "CONNECTED");
            if (r == 0) {
                return NEED_MORE;
            }
            if (r < 0) {
                return DONE;
            }
            int end = headersEnd(b, off, len);
            if (end == -2) {
                return NEED_MORE;
            }
            if (end > 0) {
                String v = header(b, off, end, "version");
                String server = header(b, off, end, "server");
                if (v != null) {
                    ctx.put(Registration.STOMP_VERSION.key(), v);
                }
                if (server != null) {
                    ctx.put(Registration.STOMP_SERVER.key(), server);
                }
            }
            return DONE;
        }
        int body = -1;
        boolean opening = false;
        boolean maybe = false;
        for (String c : OPENING) {
            int r = startsCommand(b, off, len, c);
            if (r > 0) {
                body = r;
                opening = true;
            } else if (r == 0) {
                maybe = true;
            }
        }
        for (String c : MID) {
            int r = startsCommand(b, off, len, c);
            if (r > 0) {
                body = r;
            } else if (r == 0) {
                maybe = true;
            }
        }
        if (body < 0) {
            return maybe ? NEED_MORE : NO;
        }
        if (opening && !fromClient) {
            return NO;
        }
        int end = headersEnd(b, off, len);
        if (end == -1) {
            return NO;
        }
        if (end == -2) {
            return NEED_MORE;
        }
        if (opening) {
            if (header(b, off, end, "accept-version") == null && header(b, off, end, "host") == null
                    && header(b, off, end, "login") == null) {
                return NO;
            }
            if (header(b, off, end, "passcode") != null) {
                ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
            }
            return MATCH;
        }
        return header(b, off, end, "destination") != null ? DONE : NO;
    }

    /** Length of "COMMAND\n" or "COMMAND\r\n" when the view starts so; 0 if it may still; -1 if not. */
    static int startsCommand(byte[] b, int off, int len, String cmd) {
        if (!prefixOf(b, off, len, cmd)) {
            return -1;
        }
        int n = cmd.length();
        if (len <= n) {
            return 0;
        }
        if (b[off + n] == '\n') {
            return n + 1;
        }
        if (b[off + n] == '\r') {
            return len <= n + 1 ? 0 : b[off + n + 1] == '\n' ? n + 2 : -1;
        }
        return -1;
    }

    /**
     * Checks the header lines after the command line and returns the relative end of the blank
     * line; -2 when not all there yet, -1 when a line is not a header.
     */
    static int headersEnd(byte[] b, int off, int len) {
        int i = indexOf(b, off, len, 0, len, '\n') + 1;
        if (i <= 0) {
            return -2;
        }
        int lines = 0;
        while (true) {
            int nl = indexOf(b, off, len, i, len, '\n');
            if (nl < 0) {
                // the partial line must still look like a header
                for (int k = i; k < len; k++) {
                    int c = b[off + k] & 0xFF;
                    if (c != '\r' && !isPrintable(c) && c < 0x80) {
                        return -1;
                    }
                }
                return -2;
            }
            int e = nl > i && b[off + nl - 1] == '\r' ? nl - 1 : nl;
            if (e == i) {
                return lines > 0 ? nl + 1 : -1;
            }
            int colon = indexOf(b, off, len, i, e, ':');
            if (colon <= i) {
                return -1;
            }
            for (int k = i; k < colon; k++) {
                int c = b[off + k] & 0xFF;
                if (!isPrintable(c) || c == ' ') {
                    return -1;
                }
            }
            if (++lines > 64) {
                return -1;
            }
            i = nl + 1;
        }
    }

    /** Value of header {@code name} in the header block within {@code [0, len)}, or null. */
    static String header(byte[] b, int off, int len, String name) {
        int i = indexOf(b, off, len, 0, len, '\n') + 1;
        while (i > 0 && i < len) {
            int nl = indexOf(b, off, len, i, len, '\n');
            int e = nl < 0 ? len : (nl > i && b[off + nl - 1] == '\r' ? nl - 1 : nl);
            if (e == i) {
                return null;
            }
            if (regionEquals(b, off, len, i, name) && i + name.length() < e && b[off + i + name.length()] == ':') {
                return ascii(b, off, i + name.length() + 1, e, 128);
            }
            if (nl < 0) {
                return null;
            }
            i = nl + 1;
        }
        return null;
    }
}
