package org.fathom.protocol.sip;

import java.net.InetAddress;
import java.util.Locale;
import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.http.HttpHead;

/**
 * SIP (RFC 3261) over UDP and TCP. A request line {@code METHOD SP sip:... SP SIP/2.0} or a status
 * line {@code SIP/2.0 NNN reason}; over UDP one message per datagram, over TCP messages framed by
 * {@code Content-Length} (several may share a segment, one may span many; heads are buffered up
 * to {@link #MAX_HEAD} bytes and bodies up to {@link #MAX_BODY}).
 *
 * <p>Metadata: {@code sip.method} (first request), {@code sip.status} (first final response, or the
 * latest provisional one until then), {@code sip.call_id}, {@code sip.from}, {@code sip.to} (the
 * URIs only, without display names or tags), {@code sip.user_agent}. The URIs identify people:
 * the privacy guard pseudonymises them on the way out. Media announced in SDP bodies
 * ({@code c=} and {@code m=} lines, RFC 4566) is announced to the engine as expected RTP flows.
 */
public final class SipDissector implements Dissector {
    public static final int MAX_HEAD = 16 * 1024;
    public static final int MAX_BODY = 8 * 1024;
    static final int MAX_EXPECTED_MEDIA = 8;
    static final String[] METHODS = {
        "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO",
        "REFER", "MESSAGE", "UPDATE",
    };
    private static final Descriptor DESCRIPTOR =
            Descriptor.both("SIP", "VoIP", new int[] {5060, 5061}, new int[] {5060, 5061}).withProbeDepth(4);

    /** One direction of a TCP stream. */
    static final class Side {
        byte[] buf = new byte[512];
        int n;
        int headEnd = -1;
        int bodyLength;
        long skip;
    }

    /** Per-flow state. */
    static final class State {
        Side client;
        Side server;
        boolean matched;
        boolean finalStatus;
        int media;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            if (!couldStart(b, off, len)) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        if (ctx.l4() == 17) {
            if (isKeepAlive(b, off, len)) {
                return st.matched ? MATCH : NEED_MORE;
            }
            int headEnd = HttpHead.findEnd(b, off, len);
            int r = message(ctx, st, b, off, headEnd < 0 ? len : headEnd - off, headEnd < 0 ? off + len : headEnd, off + len);
            if (r == NO) {
                return st.matched ? MATCH : NO;
            }
            return MATCH;
        }
        Side s = fromClient ? st.client : st.server;
        if (s == null) {
            s = new Side();
            if (fromClient) {
                st.client = s;
            } else {
                st.server = s;
            }
        }
        int p = off;
        int end = off + len;
        while (p < end) {
            if (s.skip > 0) {
                int n = (int) Math.min(s.skip, end - p);
                s.skip -= n;
                p += n;
                continue;
            }
            if (s.headEnd < 0) {
                // skip keep-alive CRLFs between messages
                if (s.n == 0 && (b[p] == '\r' || b[p] == '\n')) {
                    p++;
                    continue;
                }
                int take = end - p;
                int room = MAX_HEAD - s.n;
                int scanFrom = Math.max(0, s.n - 3);
                append(s, b, p, Math.min(take, room));
                int e = HttpHead.findEnd(s.buf, scanFrom, s.n - scanFrom);
                if (s.n >= 8 && !couldStart(s.buf, 0, s.n)) {
                    return st.matched ? MATCH : NO;
                }
                if (e < 0) {
                    if (s.n >= MAX_HEAD) {
                        return st.matched ? DONE : NO;
                    }
                    p += Math.min(take, room);
                    continue;
                }
                // bytes beyond the head go back to the loop
                int used = e - (s.n - Math.min(take, room));
                p += used;
                s.n = e;
                s.headEnd = e;
                HttpHead h = HttpHead.parse(s.buf, 0, e);
                if (h == null) {
                    return st.matched ? DONE : NO;
                }
                String cl = h.field("content-length", "l");
                s.bodyLength = cl == null ? 0 : parseLength(cl);
                if (s.bodyLength < 0) {
                    return st.matched ? DONE : NO;
                }
            }
            int want = Math.min(s.bodyLength, MAX_BODY);
            int have = s.n - s.headEnd;
            int skipTotal = s.bodyLength;
            if (have < want) {
                int n = Math.min(want - have, end - p);
                append(s, b, p, n);
                p += n;
                have += n;
                if (have < want) {
                    continue;
                }
            }
            // whole message (body cut to MAX_BODY): the rest of a long body is skipped below
            int r = message(ctx, st, s.buf, 0, s.headEnd, s.headEnd, s.n);
            int extra = skipTotal - want;
            s.n = 0;
            s.headEnd = -1;
            if (r == NO) {
                return st.matched ? DONE : NO;
            }
            s.skip = extra; // a body over the cap: its remaining bytes are not SIP heads
        }
        return st.matched ? MATCH : NEED_MORE;
    }

    private static void append(Side s, byte[] b, int p, int n) {
        if (s.n + n > s.buf.length) {
            s.buf = java.util.Arrays.copyOf(s.buf, Math.min(MAX_HEAD + MAX_BODY, Math.max(s.n + n, s.buf.length * 2)));
        }
        System.arraycopy(b, p, s.buf, s.n, n);
        s.n += n;
    }

    /** Handles one message: head {@code b[off..off+headLen)}, body {@code b[bodyStart..end)}. */
    private int message(FlowContext ctx, State st, byte[] b, int off, int headLen, int bodyStart, int end) {
        HttpHead h = HttpHead.parse(b, off, headLen);
        if (h == null) {
            return NO;
        }
        boolean response = h.first().equals("SIP/2.0");
        if (response) {
            int status = status(h.second());
            if (status < 100) {
                return NO;
            }
            if (!st.finalStatus) {
                ctx.put("sip.status", (long) status);
                st.finalStatus = status >= 200;
            }
            if (ctx.get("sip.user_agent") == null) {
                ctx.put("sip.user_agent", h.field("server"));
            }
        } else {
            if (!isMethod(h.first()) || !h.third().equals("SIP/2.0") || !isSipUri(h.second())) {
                return NO;
            }
            if (ctx.get("sip.method") == null) {
                ctx.put("sip.method", h.first());
            }
            String ua = h.field("user-agent");
            if (ua != null) {
                ctx.put("sip.user_agent", ua);
            }
        }
        st.matched = true;
        if (ctx.get("sip.call_id") == null) {
            ctx.put("sip.call_id", h.field("call-id", "i"));
            ctx.put("sip.from", uri(h.field("from", "f")));
            ctx.put("sip.to", uri(h.field("to", "t")));
        }
        String ct = h.field("content-type", "c");
        if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/sdp") && end > bodyStart) {
            sdp(ctx, st, b, bodyStart, end);
        }
        return MATCH;
    }

    /** SDP (RFC 4566): announces each {@code m=} line's port at the connection address in force. */
    private static void sdp(FlowContext ctx, State st, byte[] b, int p, int end) {
        String sessionAddr = null;
        String mediaAddr = null;
        int pendingPort = -1;
        while (p < end) {
            int e = p;
            while (e < end && b[e] != '\n') {
                e++;
            }
            int stop = e > p && b[e - 1] == '\r' ? e - 1 : e;
            if (stop - p > 2 && b[p + 1] == '=') {
                String line = new String(b, p + 2, stop - p - 2, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (b[p] == 'm') {
                    announce(ctx, st, mediaAddr != null ? mediaAddr : sessionAddr, pendingPort);
                    mediaAddr = null;
                    pendingPort = mediaPort(line);
                } else if (b[p] == 'c') {
                    String a = connectionAddress(line);
                    if (pendingPort < 0 && mediaAddr == null) {
                        sessionAddr = a;
                    } else {
                        mediaAddr = a;
                    }
                }
            }
            p = e + 1;
        }
        announce(ctx, st, mediaAddr != null ? mediaAddr : sessionAddr, pendingPort);
    }

    private static void announce(FlowContext ctx, State st, String addr, int port) {
        if (addr == null || port <= 0 || port > 65535 || st.media >= MAX_EXPECTED_MEDIA) {
            return;
        }
        try {
            byte[] a = InetAddress.ofLiteral(addr).getAddress();
            long hi;
            long lo;
            if (a.length == 4) {
                hi = 0;
                lo = 0x0000FFFF00000000L | ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | (a[3] & 0xFF);
            } else {
                hi = 0;
                lo = 0;
                for (int i = 0; i < 8; i++) {
                    hi = (hi << 8) | (a[i] & 0xFF);
                    lo = (lo << 8) | (a[i + 8] & 0xFF);
                }
            }
            if (hi == 0 && lo == 0x0000FFFF00000000L) {
                return; // 0.0.0.0: media on hold
            }
            ctx.expect(17, hi, lo, port, "RTP", "Media");
            st.media++;
        } catch (IllegalArgumentException e) {
            // not an address literal (a host name): nothing to announce
        }
    }

    /** {@code audio 49170 RTP/AVP 0}: the port, when the transport is RTP based. */
    static int mediaPort(String line) {
        String[] f = line.split(" ");
        if (f.length < 3 || !f[2].contains("RTP")) {
            return -1;
        }
        String port = f[1];
        int slash = port.indexOf('/');
        if (slash >= 0) {
            port = port.substring(0, slash);
        }
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code IN IP4 192.0.2.1} (TTL and count suffixes dropped). */
    static String connectionAddress(String line) {
        String[] f = line.split(" ");
        if (f.length < 3 || !f[0].equals("IN") || !(f[1].equals("IP4") || f[1].equals("IP6"))) {
            return null;
        }
        String a = f[2].strip();
        int slash = a.indexOf('/');
        return slash >= 0 ? a.substring(0, slash) : a;
    }

    /** The URI of a From/To value: inside angle brackets, else up to the parameters. */
    static String uri(String v) {
        if (v == null) {
            return null;
        }
        int lt = v.indexOf('<');
        if (lt >= 0) {
            int gt = v.indexOf('>', lt);
            return gt > lt ? v.substring(lt + 1, gt) : v.substring(lt + 1);
        }
        int semi = v.indexOf(';');
        return (semi >= 0 ? v.substring(0, semi) : v).strip();
    }

    private static boolean isSipUri(String u) {
        String l = u.toLowerCase(Locale.ROOT);
        return l.startsWith("sip:") || l.startsWith("sips:") || l.startsWith("tel:") || l.startsWith("urn:");
    }

    private static boolean isMethod(String m) {
        for (String x : METHODS) {
            if (x.equals(m)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the bytes may start a SIP message (as far as they go). */
    static boolean couldStart(byte[] b, int off, int len) {
        if (len <= 0) {
            return true;
        }
        if (HttpHead.agreesWith(b, off, len, "SIP/2.0 ")) {
            return true;
        }
        for (String m : METHODS) {
            if (HttpHead.agreesWith(b, off, len, m + " ")) {
                return len <= m.length() + 1 || couldBeUri(b, off + m.length() + 1, len - m.length() - 1);
            }
        }
        return false;
    }

    private static boolean couldBeUri(byte[] b, int off, int len) {
        return HttpHead.agreesWith(b, off, len, "sip:") || HttpHead.agreesWith(b, off, len, "sips:")
                || HttpHead.agreesWith(b, off, len, "tel:") || HttpHead.agreesWith(b, off, len, "SIP:")
                || HttpHead.agreesWith(b, off, len, "urn:");
    }

    private static boolean isKeepAlive(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (b[off + i] != '\r' && b[off + i] != '\n' && b[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int status(String s) {
        if (s.length() != 3) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v >= 100 && v <= 699 ? v : -1;
    }

    private static int parseLength(String v) {
        v = v.strip();
        if (v.isEmpty() || v.length() > 9) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
