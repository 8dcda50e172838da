package org.fathom.protocol.sip;

import java.net.InetAddress;
import java.util.Locale;
import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * SIP (RFC 3261) over UDP and TCP. A request line {@code METHOD SP sip:... SP SIP/2.0} or a status
 * line {@code SIP/2.0 NNN reason}, read by {@link SipParser}; over UDP one message per datagram,
 * over TCP messages cut by {@link SipFramer} (several may share a segment, one may span many;
 * heads up to {@link SipParser#MAX_HEAD} bytes, bodies kept up to {@link #MAX_BODY}).
 *
 * <p>Metadata: {@code sip.method} (first request), {@code sip.status} (first final response, or the
 * latest provisional one until then), {@code sip.call_id}, {@code sip.from}, {@code sip.to} (the
 * URIs only, without display names, passwords or tags; absent when the parser cannot read them),
 * {@code sip.user_agent}. The URIs identify people: the privacy guard pseudonymises them on the
 * way out. Media announced in SDP bodies ({@code c=} and {@code m=} lines, RFC 4566) is announced
 * to the engine as expected RTP flows.
 */
public final class SipDissector implements Dissector {
    public static final int MAX_BODY = 8 * 1024;
    static final int MAX_EXPECTED_MEDIA = 8;
    private static final Descriptor DESCRIPTOR =
            Descriptor.both("SIP", "VoIP", new int[] {5060, 5061}, new int[] {5060, 5061}).withProbeDepth(4);

    /** Per-flow state; during {@link #inspect} also the framer's handler. */
    static final class State implements SipFramer.Handler {
        SipFramer client;
        SipFramer server;
        /** A direction whose bytes stopped looking like SIP is not read again (the other one is). */
        boolean clientLost;
        boolean serverLost;
        boolean matched;
        boolean finalStatus;
        int media;
        FlowContext ctx;

        @Override
        public boolean head(byte[] b, int off, int len) {
            // a field line without a name ends the inspection as soon as the head is in; the start
            // line is judged with the whole message
            SipMessage m = SipParser.parse(b, off, len);
            return m == null || !m.malformed();
        }

        @Override
        public boolean message(byte[] b, int off, int len) {
            return SipDissector.message(ctx, this, SipParser.parse(b, off, len)) == MATCH;
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
            if (!SipParser.couldStart(b, off, len)) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        if (ctx.l4() == 17) {
            if (isKeepAlive(b, off, len)) {
                return st.matched ? MATCH : NEED_MORE;
            }
            if (message(ctx, st, SipParser.parse(b, off, len)) == NO) {
                return st.matched ? MATCH : NO;
            }
            return MATCH;
        }
        if (fromClient ? st.clientLost : st.serverLost) {
            return st.matched ? MATCH : NO;
        }
        SipFramer s = fromClient ? st.client : st.server;
        if (s == null) {
            s = new SipFramer(MAX_BODY);
            if (fromClient) {
                st.client = s;
            } else {
                st.server = s;
            }
        }
        st.ctx = ctx;
        int r = s.feed(b, off, len, st);
        st.ctx = null;
        if (r == SipFramer.NOT_SIP) {
            if (fromClient) {
                st.clientLost = true;
            } else {
                st.serverLost = true;
            }
            return st.matched ? MATCH : NO;
        }
        if (r != SipFramer.OK) {
            return st.matched ? DONE : NO;
        }
        return st.matched ? MATCH : NEED_MORE;
    }

    /** Handles one message (null: not SIP). */
    static int message(FlowContext ctx, State st, SipMessage m) {
        if (m == null || m.malformed()) {
            return NO;
        }
        if (!m.isRequest()) {
            if (!st.finalStatus) {
                ctx.put(Registration.SIP_STATUS.key(), (long) m.status());
                st.finalStatus = m.status() >= 200;
            }
            if (ctx.get(Registration.SIP_USER_AGENT.key()) == null) {
                ctx.put(Registration.SIP_USER_AGENT.key(), m.server());
            }
        } else {
            if (ctx.get(Registration.SIP_METHOD.key()) == null) {
                ctx.put(Registration.SIP_METHOD.key(), m.method());
            }
            if (m.userAgent() != null) {
                ctx.put(Registration.SIP_USER_AGENT.key(), m.userAgent());
            }
        }
        st.matched = true;
        if (ctx.transactions()) {
            java.util.LinkedHashMap<String, Object> e = new java.util.LinkedHashMap<>();
            e.put(Registration.SIP_METHOD.key(), m.method());
            e.put(Registration.SIP_STATUS.key(), m.isRequest() ? null : (Object) (long) m.status());
            e.put(Registration.SIP_CSEQ.key(), m.cseq() < 0 ? null : (Object) m.cseq());
            e.put(Registration.SIP_CSEQ_METHOD.key(), m.cseqMethod());
            e.put(Registration.SIP_CALL_ID.key(), m.callId());
            e.put(Registration.SIP_FROM.key(), m.from());
            e.put(Registration.SIP_TO.key(), m.to());
            e.put(Registration.SIP_USER_AGENT.key(), m.isRequest() ? m.userAgent() : m.server());
            ctx.transaction("sip", e);
        }
        if (ctx.get(Registration.SIP_CALL_ID.key()) == null) {
            ctx.put(Registration.SIP_CALL_ID.key(), m.callId());
            ctx.put(Registration.SIP_FROM.key(), m.from());
            ctx.put(Registration.SIP_TO.key(), m.to());
        }
        String ct = m.contentType();
        if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/sdp") && !m.body().isEmpty()) {
            sdp(ctx, st, m.body());
        }
        return MATCH;
    }

    /** SDP (RFC 4566): announces each {@code m=} line's port at the connection address in force. */
    private static void sdp(FlowContext ctx, State st, String body) {
        String sessionAddr = null;
        String mediaAddr = null;
        int pendingPort = -1;
        int p = 0;
        int end = body.length();
        while (p < end) {
            int e = body.indexOf('\n', p);
            if (e < 0) {
                e = end;
            }
            int stop = e > p && body.charAt(e - 1) == '\r' ? e - 1 : e;
            if (stop - p > 2 && body.charAt(p + 1) == '=') {
                String line = body.substring(p + 2, stop);
                if (body.charAt(p) == 'm') {
                    announce(ctx, st, mediaAddr != null ? mediaAddr : sessionAddr, pendingPort);
                    mediaAddr = null;
                    pendingPort = mediaPort(line);
                } else if (body.charAt(p) == 'c') {
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

    private static boolean isKeepAlive(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (b[off + i] != '\r' && b[off + i] != '\n' && b[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("RTP", "Media"));
    }
}
