package org.fathom.protocol.rtsp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.text.Ascii;
import org.fathom.wire.text.LineAssembler;

/**
 * RTSP (RFC 2326, RFC 7826) over TCP: a request line {@code METHOD SP rtsp-URI SP RTSP/1.0} from
 * the client, or a status line {@code RTSP/1.0 NNN reason} from the server. Contributes
 * {@code rtsp.host} (the host of the request URI, without user information) and
 * {@code rtsp.status} (the first status code).
 */
public final class RtspDissector implements Dissector {
    static final int MAX_LINE = 2048;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("RTSP", "Media", 554, 8554).withProbeDepth(3);
    private static final String[] METHODS = {"OPTIONS", "DESCRIBE", "ANNOUNCE", "SETUP", "PLAY", "PAUSE", "TEARDOWN",
        "GET_PARAMETER", "SET_PARAMETER", "REDIRECT", "RECORD", "PLAY_NOTIFY"};

    static final class State {
        final LineAssembler[] lines = {new LineAssembler(MAX_LINE), new LineAssembler(MAX_LINE)};
        final boolean[] firstSeen = new boolean[2];
        boolean matched;
        boolean bad;
        boolean statusSeen;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        int side = fromClient ? 0 : 1;
        if (st == null) {
            if (!plausibleStart(fromClient, b, off, len)) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        if (!st.matched && !st.firstSeen[side] && st.lines[side].pending() == 0 && !plausibleStart(fromClient, b, off, len)) {
            return NO;
        }
        if (st.firstSeen[side]) {
            // only the first line of each side is read
            return st.statusSeen || st.firstSeen[0] && st.firstSeen[1] ? DONE : MATCH;
        }
        State s = st;
        st.lines[side].feed(b, off, len, (lb, lo, ll) -> {
            s.firstSeen[side] = true;
            if (s.lines[side].overlong() || !(fromClient ? request(ctx, lb, lo, ll) : status(ctx, s, lb, lo, ll))) {
                s.bad = true;
            } else {
                s.matched = true;
            }
            return false;
        });
        if (st.bad) {
            return st.matched ? DONE : NO;
        }
        if (!st.matched) {
            // the first line is still incomplete: it must stay a possible start
            return NEED_MORE;
        }
        return st.statusSeen || st.firstSeen[0] && st.firstSeen[1] ? DONE : MATCH;
    }

    /** Whether the stream's first bytes can begin an RTSP request (client) or status line (server). */
    private static boolean plausibleStart(boolean fromClient, byte[] b, int off, int len) {
        if (len == 0) {
            return true;
        }
        if (!fromClient) {
            return Ascii.couldStartWith(b, off, len, "RTSP/");
        }
        for (String m : METHODS) {
            if (len <= m.length() ? Ascii.couldStartWith(b, off, len, m) : Ascii.startsWith(b, off, len, m + " ")) {
                return true;
            }
        }
        return false;
    }

    private static boolean request(FlowContext ctx, byte[] b, int o, int n) {
        int sp1 = indexOf(b, o, o + n, (byte) ' ');
        if (sp1 < 0) {
            return false;
        }
        boolean method = false;
        for (String m : METHODS) {
            if (sp1 - o == m.length() && Ascii.startsWith(b, o, n, m)) {
                method = true;
                break;
            }
        }
        int sp2 = lastIndexOf(b, sp1 + 1, o + n, (byte) ' ');
        if (!method || sp2 <= sp1 + 1) {
            return false;
        }
        int vlen = o + n - (sp2 + 1);
        if (!(vlen == 8 && (Ascii.startsWith(b, sp2 + 1, vlen, "RTSP/1.0") || Ascii.startsWith(b, sp2 + 1, vlen, "RTSP/2.0")))) {
            return false;
        }
        String host = uriHost(b, sp1 + 1, sp2 - sp1 - 1);
        if (host != null) {
            ctx.put(Registration.RTSP_HOST.key(), host);
            ctx.setHost(host, false);
        }
        return true;
    }

    private static boolean status(FlowContext ctx, State st, byte[] b, int o, int n) {
        if (n < 12 || !(Ascii.startsWith(b, o, n, "RTSP/1.0 ") || Ascii.startsWith(b, o, n, "RTSP/2.0 "))) {
            return false;
        }
        int code = Ascii.replyCode(b, o + 9, n - 9);
        if (code < 0) {
            return false;
        }
        st.statusSeen = true;
        ctx.put(Registration.RTSP_STATUS.key(), (long) code);
        return true;
    }

    /** Host of {@code rtsp://[user@]host[:port]/...} (also rtsps, rtspu), or null. */
    static String uriHost(byte[] b, int o, int n) {
        int p;
        if (Ascii.startsWithIgnoreCase(b, o, n, "rtsp://") || Ascii.startsWithIgnoreCase(b, o, n, "rtspu://")) {
            p = o + (b[o + 4] == ':' ? 7 : 8);
        } else if (Ascii.startsWithIgnoreCase(b, o, n, "rtsps://")) {
            p = o + 8;
        } else {
            return null;
        }
        int end = o + n;
        int stop = p;
        while (stop < end && b[stop] != '/' && b[stop] != '?' && b[stop] != '#') {
            stop++;
        }
        int at = -1;
        for (int i = p; i < stop; i++) {
            if (b[i] == '@') {
                at = i;
            }
        }
        int h = at >= 0 ? at + 1 : p;
        int hEnd;
        if (h < stop && b[h] == '[') {
            hEnd = indexOf(b, h, stop, (byte) ']');
            if (hEnd < 0) {
                return null;
            }
            h++;
        } else {
            hEnd = indexOf(b, h, stop, (byte) ':');
            if (hEnd < 0) {
                hEnd = stop;
            }
        }
        if (hEnd <= h || hEnd - h > 253 || !Ascii.allText(b, h, hEnd - h)) {
            return null;
        }
        return Ascii.string(b, h, hEnd - h, 253).toLowerCase(java.util.Locale.ROOT);
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, int from, int to, byte v) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
