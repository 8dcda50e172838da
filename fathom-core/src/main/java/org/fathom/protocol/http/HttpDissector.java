package org.fathom.protocol.http;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.PendingTransactions;
import org.fathom.protocol.Risk;

/**
 * HTTP/1.x over TCP (RFC 9110, RFC 9112). Each direction is parsed incrementally: message heads
 * are buffered (at most {@link #MAX_HEAD} bytes) until their empty line, request bodies are skipped
 * by {@code Content-Length} or chunked coding so that keep-alive and pipelined requests are
 * counted ({@code http.requests}); the server side is read up to the first final response.
 *
 * <p>Metadata of the first request: {@code http.method}, {@code http.host}, {@code http.url},
 * {@code http.user_agent}; of the first final response: {@code http.status},
 * {@code http.content_type}, {@code http.server}. {@code http.url} is the path only: the query
 * string and fragment are dropped because they often carry personal data (search terms, user
 * and session ids) and the path is enough to operate a network.
 *
 * <p>Naming as nDPI: a request in absolute form ({@code GET http://host/...}) is
 * {@code HTTP_Proxy}; a {@code CONNECT} is {@code HTTP_Connect}. Risks: a host that is an IP
 * literal ({@link Risk#NUMERIC_HOST}), a status of 400 or more ({@link Risk#HTTP_ERROR}), an
 * {@code Authorization: Basic} header ({@link Risk#CLEARTEXT_CREDENTIALS}; nothing of it is kept).
 */
public final class HttpDissector implements Dissector {
    /** Cap of one message head, per direction. */
    public static final int MAX_HEAD = 16 * 1024;
    static final int MAX_CHUNK_LINE = 256;
    static final String[] METHODS = {
        "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH",
        "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH",
        "MKACTIVITY", "CHECKOUT", "MERGE", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", "M-SEARCH",
    };
    private static final int LONGEST_METHOD = 11;

    private static final Descriptor DESCRIPTOR = Descriptor.tcp("HTTP", "Web", 80, 81, 8181);

    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int CHUNK_SIZE = 2;
    private static final int CHUNK_DATA = 3;
    private static final int CHUNK_END = 4;
    private static final int TRAILER = 5;
    private static final int STOPPED = 6;

    /** One direction's parser state. */
    static final class Side {
        byte[] buf;
        int n;
        int firstLineEnd = -1;
        int mode = HEAD;
        long remaining;
        int lineLen;
        boolean lineEmpty = true;
        long chunkSize;
        boolean chunkDigits;
        boolean chunkExt;
    }

    /** Requests waiting for their responses, at most (pipelining deeper than this loses the oldest's event). */
    static final int MAX_PENDING = 64;

    /** A request of the events path ({@link FlowContext#transactions()}), until its response is complete. */
    static final class Exchange {
        String method;
        String host;
        String url;
        String userAgent;
        String version;
        long requestNanos;
        long requestBytes;
        int status = -1;
        String contentType;
        String server;
        long responseNanos;
        long responseBytes;
        /** HTTP/2 stream id, 0 for HTTP/1.x. */
        int streamId;
        /** The NTLM AUTHENTICATE message of an {@code Authorization: NTLM} or {@code Negotiate} header. */
        org.fathom.protocol.smb.Ntlm.Authenticate ntlm;
        /** The protocol a 101 response switched to ({@code websocket}, {@code h2c}, ...). */
        String upgrade;
    }

    /** Per-flow state. */
    static final class State implements PendingTransactions {
        final Side client = new Side();
        final Side server = new Side();
        boolean matched;
        int requests;
        boolean connect;
        /** Capture time of the first request, for {@code http.response_ms}. */
        long firstRequestNanos;
        boolean responded;
        /** The first request is a POST of {@code application/json}: its body may be JSON-RPC. */
        boolean jsonBody;
        // events path only
        java.util.ArrayDeque<Exchange> pending;
        Exchange receiving;   // the request whose body the client side is reading
        Exchange responding;  // the response whose body the server side is reading
        /** HTTP/2 (prior knowledge or after an {@code Upgrade: h2c}), else null. */
        Http2Connection h2;

        @Override
        public void flush(FlowContext ctx) {
            if (h2 != null) {
                h2.flush(ctx);
            }
            if (responding != null) {
                emit(ctx, responding);   // a body delimited by the end of the connection
                responding = null;
            }
            if (pending != null) {
                for (Exchange x : pending) {
                    emit(ctx, x);        // requests never answered
                }
                pending.clear();
            }
        }
    }

    static void emit(FlowContext ctx, Exchange x) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        m.put(Registration.HTTP_METHOD.key(), x.method);
        m.put(Registration.HTTP_HOST.key(), x.host);
        m.put(Registration.HTTP_URL.key(), x.url);
        m.put(Registration.HTTP_VERSION.key(), x.version);
        if (x.streamId > 0) {
            m.put(Registration.HTTP_STREAM_ID.key(), (long) x.streamId);
        }
        m.put(Registration.HTTP_USER_AGENT.key(), x.userAgent);
        m.put(Registration.HTTP_REQUEST_BYTES.key(), x.requestBytes);
        if (x.ntlm != null) {
            m.put("ntlm.user", x.ntlm.user());
            m.put("ntlm.domain", x.ntlm.domain());
            m.put("ntlm.workstation", x.ntlm.workstation());
        }
        if (x.status >= 0) {
            m.put(Registration.HTTP_STATUS.key(), (long) x.status);
            m.put(Registration.HTTP_CONTENT_TYPE.key(), x.contentType);
            m.put(Registration.HTTP_SERVER.key(), x.server);
            m.put(Registration.HTTP_RESPONSE_BYTES.key(), x.responseBytes);
            m.put(Registration.HTTP_UPGRADE.key(), x.upgrade);
            if (x.requestNanos != 0) {
                m.put(Registration.HTTP_RESPONSE_MS.key(), Math.round((x.responseNanos - x.requestNanos) / 1000.0) / 1000.0);
            }
        }
        ctx.transaction("http", m);
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            // cheap rejection before anything is allocated
            if (fromClient ? !couldBeRequest(buf, off, len) : !agreesWithStatusLine(buf, off, len)) {
                // HTTP/2 with prior knowledge: the client's preface, or a server's SETTINGS first
                if (fromClient ? !Http2Connection.agreesWithPreface(buf, off, len)
                        : !Http2Connection.looksLikeServerSettings(buf, off, len)) {
                    return NO;
                }
                st = new State();
                st.h2 = new Http2Connection(true);
                ctx.setState(st);
            } else {
                st = new State();
                ctx.setState(st);
            }
        }
        if (st.h2 != null) {
            if (!st.h2.matched && fromClient && st.h2.client.prefaceLeft == Http2Connection.PREFACE.length
                    && !Http2Connection.agreesWithPreface(buf, off, len) && couldBeRequest(buf, off, len)) {
                st.h2 = null;   // the server spoke first, but the client speaks HTTP/1.x
            } else {
                return st.h2.feed(ctx, st, fromClient, buf, off, len);
            }
        }
        if (fromClient && !st.matched && st.client.n > 0 && st.client.n + len >= 3 && st.client.buf[0] == 'P'
                && agreesWithPreface(st.client, buf, off, len)) {
            return toPriorKnowledge(ctx, st, buf, off, len);   // the preface, cut where "P" or "PR" could start a method
        }
        Side s = fromClient ? st.client : st.server;
        int r = fromClient ? feedClient(ctx, st, s, buf, off, len) : feedServer(ctx, st, s, buf, off, len);
        if (r == NO) {
            if (!st.matched) {
                return NO;
            }
            s.mode = STOPPED;
            s.buf = null;
        }
        if (!st.matched) {
            return NEED_MORE;
        }
        return st.client.mode == STOPPED && st.server.mode == STOPPED ? DONE : MATCH;
    }

    // ---- client side: requests, bodies skipped

    private int feedClient(FlowContext ctx, State st, Side s, byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        while (p < end) {
            switch (s.mode) {
                case STOPPED:
                    return MATCH;
                case HEAD: {
                    int q = accumulate(s, b, p, end, true);
                    if (s.firstLineEnd >= 0) {
                        st.matched = true;
                    }
                    if (q < 0) {
                        return NO;
                    }
                    if (q == Integer.MAX_VALUE) {
                        return MATCH; // head not complete yet
                    }
                    p = q;
                    if (!onRequest(ctx, st, s)) {
                        return NO;
                    }
                    break;
                }
                case BODY: {
                    long take = Math.min(s.remaining, end - p);
                    if (st.jsonBody) {
                        // the first request's body, as far as this segment holds it (no buffering)
                        st.jsonBody = false;
                        if (org.fathom.protocol.jsonrpc.JsonRpcMessage.judge(b, p, (int) take) == DONE) {
                            ctx.setApplication("JSON-RPC", "RPC");
                        }
                    }
                    s.remaining -= take;
                    p += (int) take;
                    if (st.receiving != null) {
                        st.receiving.requestBytes += take;
                    }
                    if (s.remaining == 0) {
                        s.mode = HEAD;
                    }
                    break;
                }
                case CHUNK_DATA: {
                    long take = Math.min(s.remaining, end - p);
                    s.remaining -= take;
                    p += (int) take;
                    if (st.receiving != null) {
                        st.receiving.requestBytes += take;
                    }
                    if (s.remaining == 0) {
                        s.mode = CHUNK_END;
                        s.lineLen = 0;
                    }
                    break;
                }
                default:
                    p = chunkLines(s, b, p, end);
                    if (p < 0) {
                        return NO;
                    }
                    break;
            }
        }
        return MATCH;
    }

    /** Chunk-size lines, the CRLF after chunk data, and trailer lines. Returns -1 on bad syntax. */
    private static int chunkLines(Side s, byte[] b, int p, int end) {
        while (p < end) {
            int c = b[p++] & 0xFF;
            if (++s.lineLen > MAX_CHUNK_LINE) {
                return -1;
            }
            switch (s.mode) {
                case CHUNK_SIZE:
                    if (c == '\n') {
                        if (!s.chunkDigits) {
                            return -1;
                        }
                        s.lineLen = 0;
                        if (s.chunkSize == 0) {
                            s.mode = TRAILER;
                            s.lineEmpty = true;
                        } else {
                            s.mode = CHUNK_DATA;
                            s.remaining = s.chunkSize;
                            return p;
                        }
                    } else if (!s.chunkExt && hex(c) >= 0) {
                        if (s.chunkSize > (1L << 40)) {
                            return -1;
                        }
                        s.chunkSize = s.chunkSize * 16 + hex(c);
                        s.chunkDigits = true;
                    } else if (c == ';' || c == ' ' || c == '\t' || c == '\r') {
                        s.chunkExt = true;
                    } else if (!s.chunkExt) {
                        return -1;
                    }
                    break;
                case CHUNK_END:
                    if (c == '\n') {
                        startChunk(s);
                    } else if (c != '\r') {
                        return -1;
                    }
                    break;
                case TRAILER:
                    if (c == '\n') {
                        if (s.lineEmpty) {
                            s.mode = HEAD;
                            s.lineLen = 0;
                            return p;
                        }
                        s.lineEmpty = true;
                        s.lineLen = 0;
                    } else if (c != '\r') {
                        s.lineEmpty = false;
                    }
                    break;
                default:
                    return p - 1;
            }
        }
        return p;
    }

    private static void startChunk(Side s) {
        s.mode = CHUNK_SIZE;
        s.chunkSize = 0;
        s.chunkDigits = false;
        s.chunkExt = false;
        s.lineLen = 0;
    }

    private static int hex(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private boolean onRequest(FlowContext ctx, State st, Side s) {
        HttpHead h = HttpHead.parse(s.buf, 0, s.n);
        s.n = 0;
        s.firstLineEnd = -1;
        if (h == null) {
            return false;
        }
        st.requests++;
        String method = h.first();
        String target = h.requestTarget();
        if (ctx.transactions()) {
            exchange(ctx, st, h, method, target);
        }
        if (st.requests == 1) {
            st.firstRequestNanos = ctx.timestampNanos();
            ctx.put(Registration.HTTP_METHOD.key(), method);
            String host = HttpHead.hostWithoutPort(h.field("host"));
            String path = null;
            if ("CONNECT".equals(method)) {
                st.connect = true;
                ctx.setProtocol("HTTP_Connect", "Web");
                host = HttpHead.hostWithoutPort(target);
            } else if (target.startsWith("/") || target.equals("*")) {
                ctx.setProtocol("HTTP", "Web");
                path = target;
            } else {
                int scheme = target.indexOf("://");
                if (scheme > 0) {
                    ctx.setProtocol("HTTP_Proxy", "Web");
                    int slash = target.indexOf('/', scheme + 3);
                    String authority = slash < 0 ? target.substring(scheme + 3) : target.substring(scheme + 3, slash);
                    int at = authority.lastIndexOf('@');
                    if (at >= 0) {
                        authority = authority.substring(at + 1); // never keep user info
                    }
                    if (host == null || host.isEmpty()) {
                        host = HttpHead.hostWithoutPort(authority);
                    }
                    path = slash < 0 ? "/" : target.substring(slash);
                } else {
                    ctx.setProtocol("HTTP", "Web");
                }
            }
            if (path != null) {
                int cut = path.length();
                int q = path.indexOf('?');
                if (q >= 0) {
                    cut = q;
                }
                int hash = path.indexOf('#');
                if (hash >= 0 && hash < cut) {
                    cut = hash;
                }
                ctx.put(Registration.HTTP_URL.key(), path.substring(0, cut));
            }
            if (host != null && !host.isEmpty()) {
                ctx.put(Registration.HTTP_HOST.key(), host);
                ctx.setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, false);
                if (HttpHead.isIpLiteral(host)) {
                    ctx.addRisk(Risk.NUMERIC_HOST);
                }
            }
            String ua = h.field("user-agent");
            ctx.put(Registration.HTTP_USER_AGENT.key(), ua);
            if (path != null && (path.startsWith("/uri-res/") || path.startsWith("/gnutella/"))
                    || h.field("x-gnutella-content-urn") != null) {
                ctx.setApplication("Gnutella", "Download"); // HUGE file transfer of a Gnutella servent
            } else if ("POST".equals(method) && h.field("soapaction") != null) {
                // SOAP 1.1 over HTTP (section 6.1.1): every SOAP request is a POST carrying a
                // SOAPAction header, even an empty one; it names the call whatever the host is
                ctx.setApplication("SOAP", "RPC");
            } else if (h.field("x-clickhouse-user") != null || h.field("x-clickhouse-key") != null) {
                // ClickHouse's HTTP interface (docs "HTTP Interface"): credentials in its own headers
                ctx.setApplication("ClickHouse", "Database");
            } else if ("POST".equals(method)) {
                String ct = h.field("content-type");
                if (ct != null && ct.regionMatches(true, 0, "application/json-rpc", 0, 20)) {
                    ctx.setApplication("JSON-RPC", "RPC"); // nDPI's json-rpc.c: the media type alone
                } else if (ct != null && ct.regionMatches(true, 0, "application/json", 0, 16)) {
                    st.jsonBody = true; // JSON-RPC 2.0 over HTTP: told by the body (JsonRpcMessage)
                }
            }
        }
        ctx.put(Registration.HTTP_REQUESTS.key(), (long) st.requests);
        String auth = h.field("authorization", "proxy-authorization");
        if (auth != null && auth.regionMatches(true, 0, "basic ", 0, 6)) {
            ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
        }
        if ("CONNECT".equals(method)) {
            s.mode = STOPPED; // the rest is the tunnel
            s.buf = null;
            return true;
        }
        String te = h.field("transfer-encoding");
        if (te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            startChunk(s);
            return true;
        }
        String cl = h.field("content-length");
        if (cl != null) {
            long n = parseLength(cl);
            if (n < 0) {
                return false;
            }
            if (n > 0) {
                s.mode = BODY;
                s.remaining = n;
            }
        }
        return true;
    }

    /** The events path: a request as an {@link Exchange} waiting for its response. */
    private static void exchange(FlowContext ctx, State st, HttpHead h, String method, String target) {
        Exchange x = new Exchange();
        x.method = method;
        x.version = h.third();
        x.requestNanos = ctx.timestampNanos();
        String host = HttpHead.hostWithoutPort(h.field("host"));
        String path = target;
        int scheme = target.indexOf("://");
        if ("CONNECT".equals(method)) {
            host = HttpHead.hostWithoutPort(target);
            path = null;
        } else if (scheme > 0 && !target.startsWith("/")) {
            int slash = target.indexOf('/', scheme + 3);
            String authority = slash < 0 ? target.substring(scheme + 3) : target.substring(scheme + 3, slash);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                authority = authority.substring(at + 1); // never keep user info
            }
            if (host == null || host.isEmpty()) {
                host = HttpHead.hostWithoutPort(authority);
            }
            path = slash < 0 ? "/" : target.substring(slash);
        }
        if (path != null) {
            int cut = path.length();
            int q = path.indexOf('?');
            if (q >= 0) {
                cut = q;
            }
            int hash = path.indexOf('#');
            if (hash >= 0 && hash < cut) {
                cut = hash;
            }
            path = path.substring(0, cut);   // the query never leaves, as in flow records
        }
        x.host = host == null || host.isEmpty() ? null : host;
        x.url = path;
        x.userAgent = h.field("user-agent");
        x.ntlm = ntlm(h.field("authorization", "proxy-authorization"));
        if (st.pending == null) {
            st.pending = new java.util.ArrayDeque<>(4);
        }
        if (st.pending.size() >= MAX_PENDING) {
            emit(ctx, st.pending.poll());   // too deep a pipeline: the oldest goes out unanswered
        }
        st.pending.add(x);
        st.receiving = x;
    }

    /**
     * The events path of the server side: every response head, its body skipped by its framing
     * (none after HEAD, 1xx, 204 and 304; Content-Length; chunked; else to the end of the
     * connection), each response matched with the oldest request waiting (pipelining keeps order).
     */
    private int feedServerAll(FlowContext ctx, State st, Side s, byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        while (p < end) {
            switch (s.mode) {
                case STOPPED:
                    return MATCH;
                case HEAD: {
                    int q = accumulate(s, b, p, end, false);
                    if (s.firstLineEnd >= 0) {
                        st.matched = true;
                    }
                    if (q < 0) {
                        return NO;
                    }
                    if (q == Integer.MAX_VALUE) {
                        return MATCH;
                    }
                    p = q;
                    HttpHead h = HttpHead.parse(s.buf, 0, s.n);
                    s.n = 0;
                    s.firstLineEnd = -1;
                    if (h == null) {
                        return NO;
                    }
                    int status = parseStatus(h.second());
                    if (status >= 100 && status < 200 && status != 101) {
                        continue;
                    }
                    firstResponse(ctx, st, h, status);
                    Exchange x = st.pending == null ? null : st.pending.poll();
                    if (x == null) {
                        x = new Exchange();   // a response whose request was not seen
                        x.version = h.first();
                    }
                    if (st.receiving == x) {
                        st.receiving = null;
                    }
                    x.status = status;
                    x.contentType = h.field("content-type");
                    x.server = h.field("server");
                    x.responseNanos = ctx.timestampNanos();
                    if (status == 101 && "h2c".equalsIgnoreCase(trim(h.field("upgrade")))) {
                        return toHttp2(ctx, st, x, b, p, end);
                    }
                    if (status == 101 || ("CONNECT".equals(x.method) && status < 300)) {
                        if (status == 101) {
                            x.upgrade = upgradeToken(h.field("upgrade"));
                        }
                        emit(ctx, x);
                        st.client.mode = STOPPED;
                        st.client.buf = null;
                        s.mode = STOPPED;
                        s.buf = null;
                        return MATCH;
                    }
                    if ("HEAD".equals(x.method) || status == 204 || status == 304) {
                        emit(ctx, x);
                        break;
                    }
                    String te = h.field("transfer-encoding");
                    String cl = h.field("content-length");
                    if (te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                        startChunk(s);
                    } else if (cl != null) {
                        long n = parseLength(cl);
                        if (n < 0) {
                            return NO;
                        }
                        if (n == 0) {
                            emit(ctx, x);
                            break;
                        }
                        s.mode = BODY;
                        s.remaining = n;
                    } else {
                        s.mode = BODY;              // delimited by the end of the connection
                        s.remaining = Long.MAX_VALUE;
                    }
                    st.responding = x;
                    break;
                }
                case BODY:
                case CHUNK_DATA: {
                    long take = Math.min(s.remaining, end - p);
                    s.remaining -= take;
                    p += (int) take;
                    if (st.responding != null) {
                        st.responding.responseBytes += take;
                    }
                    if (s.remaining == 0) {
                        if (s.mode == BODY) {
                            s.mode = HEAD;
                        } else {
                            s.mode = CHUNK_END;
                            s.lineLen = 0;
                        }
                    }
                    break;
                }
                default:
                    p = chunkLines(s, b, p, end);
                    if (p < 0) {
                        return NO;
                    }
                    break;
            }
            if (s.mode == HEAD && st.responding != null) {
                emit(ctx, st.responding);
                st.responding = null;
            }
        }
        return MATCH;
    }

    /** Whether the client's buffered bytes and {@code b[off..off+len)} agree with the HTTP/2 preface. */
    private static boolean agreesWithPreface(Side c, byte[] b, int off, int len) {
        byte[] pre = Http2Connection.PREFACE;
        int n = c.n;
        if (n >= pre.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (c.buf[i] != pre[i]) {
                return false;
            }
        }
        int m = Math.min(len, pre.length - n);
        for (int i = 0; i < m; i++) {
            if (b[off + i] != pre[n + i]) {
                return false;
            }
        }
        return true;
    }

    private static int toPriorKnowledge(FlowContext ctx, State st, byte[] b, int off, int len) {
        Http2Connection h2 = new Http2Connection(true);
        st.h2 = h2;
        Side c = st.client;
        if (c.n > 0) {
            byte[] head = java.util.Arrays.copyOf(c.buf, c.n);
            h2.feed(ctx, st, true, head, 0, head.length);
        }
        c.n = 0;
        c.buf = null;
        c.firstLineEnd = -1;
        return h2.feed(ctx, st, true, b, off, len);
    }

    /** The first protocol of an {@code Upgrade} header, lower case, at most 32 characters. */
    static String upgradeToken(String v) {
        if (v == null) {
            return null;
        }
        String t = v.split(",", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return t.isEmpty() ? null : t.length() > 32 ? t.substring(0, 32) : t;
    }

    private static String trim(String s) {
        return s == null ? null : s.strip();
    }

    /**
     * {@code 101 Switching Protocols} to {@code h2c} (RFC 7540 3.2): both sides speak HTTP/2 from
     * here, the client after its preface; the upgraded request is stream 1, answered in HTTP/2.
     */
    private static int toHttp2(FlowContext ctx, State st, Exchange request, byte[] b, int p, int end) {
        st.client.buf = null;
        st.server.buf = null;
        st.pending = null;
        st.receiving = null;
        st.h2 = new Http2Connection(true);
        st.h2.upgraded(ctx, request);
        ctx.put(Registration.HTTP_VERSION.key(), Http2Connection.VERSION);
        return st.h2.feed(ctx, st, false, b, p, end - p);
    }

    /**
     * The NTLM AUTHENTICATE message of an {@code NTLM} or {@code Negotiate} (SPNEGO) credential,
     * or null. Only the names are read (never the responses); at most 8 KiB of base64 is decoded.
     */
    static org.fathom.protocol.smb.Ntlm.Authenticate ntlm(String auth) {
        if (auth == null) {
            return null;
        }
        int sp = auth.indexOf(' ');
        if (sp < 0) {
            return null;
        }
        String scheme = auth.substring(0, sp);
        if (!scheme.equalsIgnoreCase("NTLM") && !scheme.equalsIgnoreCase("Negotiate")) {
            return null;
        }
        String b64 = auth.substring(sp + 1).strip();
        if (b64.length() > 8192) {
            return null;
        }
        byte[] raw;
        try {
            raw = java.util.Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int sig = org.fathom.protocol.smb.Ntlm.find(raw, 0, raw.length);
        return sig < 0 ? null : org.fathom.protocol.smb.Ntlm.authenticate(raw, sig, raw.length);
    }

    /** The path of a request target without its query and fragment (they never leave). */
    static String withoutQuery(String path) {
        int cut = path.length();
        int q = path.indexOf('?');
        if (q >= 0) {
            cut = q;
        }
        int hash = path.indexOf('#');
        if (hash >= 0 && hash < cut) {
            cut = hash;
        }
        return path.substring(0, cut);
    }

    /** Flow metadata of the first final response (the same with and without events). */
    private static void firstResponse(FlowContext ctx, State st, HttpHead h, int status) {
        if (!st.responded && (h.field("x-clickhouse-summary") != null || h.field("x-clickhouse-query-id") != null
                || h.field("x-clickhouse-server-display-name") != null)) {
            // ClickHouse's HTTP interface answers every query with these headers (docs "HTTP Interface")
            ctx.setApplication("ClickHouse", "Database");
        }
        firstResponse(ctx, st, status, h.field("content-type"), h.field("server"));
    }

    static void firstResponse(FlowContext ctx, State st, int status, String contentType, String server) {
        if (status >= 400) {
            ctx.put(status >= 500 ? Registration.HTTP_ERRORS_5XX.key() : Registration.HTTP_ERRORS_4XX.key(),
                    ctx.get(status >= 500 ? Registration.HTTP_ERRORS_5XX.key() : Registration.HTTP_ERRORS_4XX.key()) instanceof Long n ? n + 1 : 1L);
        }
        if (st.responded) {
            return;
        }
        st.responded = true;
        if (ctx.get(Registration.HTTP_METHOD.key()) == null && ctx.get(Registration.HTTP_STATUS.key()) == null) {
            ctx.setProtocol("HTTP", "Web"); // response seen without its request
        }
        ctx.put(Registration.HTTP_STATUS.key(), (long) status);
        ctx.put(Registration.HTTP_CONTENT_TYPE.key(), contentType);
        ctx.put(Registration.HTTP_SERVER.key(), server);
        if (st.firstRequestNanos != 0) {
            ctx.put(Registration.HTTP_RESPONSE_MS.key(), Math.round((ctx.timestampNanos() - st.firstRequestNanos) / 1000.0) / 1000.0);
        }
        if (status >= 400) {
            ctx.addRisk(Risk.HTTP_ERROR);
        }
    }

    // ---- server side: heads up to the first final response

    private int feedServer(FlowContext ctx, State st, Side s, byte[] b, int off, int len) {
        if (ctx.transactions()) {
            return feedServerAll(ctx, st, s, b, off, len);
        }
        int p = off;
        int end = off + len;
        while (p < end && s.mode == HEAD) {
            int q = accumulate(s, b, p, end, false);
            if (s.firstLineEnd >= 0) {
                st.matched = true;
            }
            if (q < 0) {
                return NO;
            }
            if (q == Integer.MAX_VALUE) {
                break;
            }
            p = q;
            HttpHead h = HttpHead.parse(s.buf, 0, s.n);
            s.n = 0;
            s.firstLineEnd = -1;
            if (h == null) {
                return NO;
            }
            int status = parseStatus(h.second());
            if (status >= 100 && status < 200 && status != 101) {
                continue; // interim response: the final one follows
            }
            firstResponse(ctx, st, h, status);
            if (status == 101 && "h2c".equalsIgnoreCase(trim(h.field("upgrade")))) {
                return toHttp2(ctx, st, null, b, p, end);
            }
            if (status == 101 || (st.connect && status < 300)) {
                st.client.mode = STOPPED; // another protocol follows on both sides
                st.client.buf = null;
            }
            s.mode = STOPPED;
            s.buf = null;
        }
        return MATCH;
    }

    /**
     * Appends bytes to the head buffer until the head's empty line. Returns the index after the
     * head in {@code b}, {@link Integer#MAX_VALUE} when all of {@code b[p..end)} was taken without
     * completing it, or -1 when the bytes cannot start a head (the start line is checked as it
     * grows and once complete) or the head is over the cap.
     */
    private static int accumulate(Side s, byte[] b, int p, int end, boolean request) {
        if (s.buf == null) {
            s.buf = new byte[Math.min(MAX_HEAD, Math.max(256, Integer.highestOneBit(end - p) << 1))];
        }
        while (p < end) {
            if (s.n == 0) {
                while (p < end && (b[p] == '\r' || b[p] == '\n')) {
                    p++; // empty lines before a message are ignored (RFC 9112 section 2.2)
                }
                if (p == end) {
                    break;
                }
            }
            if (s.firstLineEnd < 0 && s.n <= LONGEST_METHOD) {
                // the method or status-line prefix, byte by byte: a wrong start is refused at once
                byte c = b[p++];
                if (!append(s, c)) {
                    return -1;
                }
                if (!(request ? couldBeRequest(s.buf, 0, s.n) : agreesWithStatusLine(s.buf, 0, s.n))) {
                    return -1;
                }
                if (c == '\n') {
                    if (!(request ? validRequestLine(s.buf, 0, s.n - 1) : validStatusLine(s.buf, 0, s.n - 1))) {
                        return -1;
                    }
                    s.firstLineEnd = s.n - 1;
                }
                continue;
            }
            // the rest of the line in one copy
            int nl = p;
            while (nl < end && b[nl] != '\n') {
                nl++;
            }
            boolean lineEnds = nl < end;
            if (s.firstLineEnd < 0 && s.n + (nl - p) > 8192) {
                return -1; // a start line this long is not one
            }
            int take = (lineEnds ? nl + 1 : end) - p;
            if (s.n + take > MAX_HEAD) {
                return -1;
            }
            if (s.n + take > s.buf.length) {
                s.buf = java.util.Arrays.copyOf(s.buf, Math.min(MAX_HEAD, Math.max(s.n * 2, s.n + take)));
            }
            System.arraycopy(b, p, s.buf, s.n, take);
            s.n += take;
            p += take;
            if (!lineEnds) {
                continue;
            }
            if (s.firstLineEnd < 0) {
                if (!(request ? validRequestLine(s.buf, 0, s.n - 1) : validStatusLine(s.buf, 0, s.n - 1))) {
                    return -1;
                }
                s.firstLineEnd = s.n - 1;
                continue;
            }
            int n = s.n;
            if (s.buf[n - 2] == '\n' || (s.buf[n - 2] == '\r' && n >= 3 && s.buf[n - 3] == '\n')) {
                return p;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** Appends one byte to the head, growing its buffer up to {@link #MAX_HEAD}; false when the head is too long. */
    private static boolean append(Side s, byte c) {
        if (s.n == s.buf.length) {
            if (s.n >= MAX_HEAD) {
                return false;
            }
            s.buf = java.util.Arrays.copyOf(s.buf, Math.min(MAX_HEAD, s.n * 2));
        }
        s.buf[s.n++] = c;
        return true;
    }

    /**
     * Whether {@code b[off..off+len)} may begin a request: a known method followed by a space
     * (as far as the bytes present reach).
     */
    static boolean couldBeRequest(byte[] b, int off, int len) {
        if (len <= 0) {
            return true;
        }
        char c0 = (char) b[off];
        for (String m : METHODS) {
            if (m.charAt(0) != c0) {
                continue;
            }
            int n = Math.min(len, m.length() + 1);
            boolean ok = true;
            for (int i = 1; i < n && ok; i++) {
                char want = i < m.length() ? m.charAt(i) : ' ';
                ok = b[off + i] == want;
            }
            if (ok) {
                return true;
            }
        }
        return false;
    }

    static boolean agreesWithStatusLine(byte[] b, int off, int len) {
        if (!HttpHead.agreesWith(b, off, len, "HTTP/1.")) {
            return false;
        }
        return len < 8 || (b[off + 7] >= '0' && b[off + 7] <= '9');
    }

    /** {@code METHOD SP target SP HTTP/d.d} (line without its LF, CR allowed). */
    static boolean validRequestLine(byte[] b, int off, int lineEnd) {
        int end = lineEnd > off && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        int sp1 = HttpHead.indexOf(b, off, end, (byte) ' ');
        if (sp1 <= off) {
            return false;
        }
        boolean known = false;
        for (String m : METHODS) {
            if (m.length() == sp1 - off && HttpHead.startsWith(b, off, sp1 - off, m)) {
                known = true;
                break;
            }
        }
        if (!known) {
            return false;
        }
        // the version ends the line; the target is what lies between (spaces in it are tolerated)
        int sp2 = end - 9;
        if (sp2 <= sp1 + 1 || b[sp2] != ' ' || b[sp1 + 1] == ' ') {
            return false;
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            if ((b[i] & 0xFF) < 0x20 || b[i] == 0x7F) {
                return false;
            }
        }
        int v = sp2 + 1;
        return HttpHead.startsWith(b, v, 5, "HTTP/") && isDigit(b[v + 5]) && b[v + 6] == '.' && isDigit(b[v + 7]);
    }

    /** {@code HTTP/d.d SP ddd [SP reason]}. */
    static boolean validStatusLine(byte[] b, int off, int lineEnd) {
        int end = lineEnd > off && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        if (end - off < 12 || !HttpHead.startsWith(b, off, 5, "HTTP/") || !isDigit(b[off + 5]) || b[off + 6] != '.'
                || !isDigit(b[off + 7]) || b[off + 8] != ' ') {
            return false;
        }
        if (!isDigit(b[off + 9]) || !isDigit(b[off + 10]) || !isDigit(b[off + 11])) {
            return false;
        }
        int first = b[off + 9] - '0';
        return first >= 1 && first <= 5 && (end - off == 12 || b[off + 12] == ' ');
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static int parseStatus(String s) {
        if (s == null || s.length() != 3) {
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
        return v;
    }

    static long parseLength(String s) {
        s = s.strip();
        int comma = s.indexOf(',');
        if (comma >= 0) {
            s = s.substring(0, comma).strip(); // repeated identical values (RFC 9110 8.6)
        }
        if (s.isEmpty() || s.length() > 15) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("HTTP_Connect", "Web"), new org.fathom.protocol.Service("HTTP_Proxy", "Web"), new org.fathom.protocol.Service("Gnutella", "Download"),
                new org.fathom.protocol.Service("HTTP2", "Web"), new org.fathom.protocol.Service("JSON-RPC", "RPC"),
                new org.fathom.protocol.Service("ClickHouse", "Database"));
    }
}
