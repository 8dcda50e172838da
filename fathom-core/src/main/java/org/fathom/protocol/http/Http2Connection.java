package org.fathom.protocol.http;

import java.nio.charset.StandardCharsets;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;

/**
 * HTTP/2 in cleartext (h2c, RFC 9113) on one TCP connection, both directions: the client
 * connection preface, then frames (9-byte header: 24-bit length, type, flags, 31-bit stream id).
 * Header blocks (HEADERS or PUSH_PROMISE and their CONTINUATIONs) are reassembled and decoded
 * with one {@link Hpack} decoder per direction; DATA frames are counted, never read; RST_STREAM
 * ends a stream. SETTINGS, PING, PRIORITY, WINDOW_UPDATE, GOAWAY and unknown types are skipped.
 *
 * <p>Flow metadata as for HTTP/1 (first request and first final response; {@code http.version}
 * {@code HTTP/2}). With events ({@link FlowContext#transactions()}) one {@code http} event per
 * stream, emitted when the server ends it (END_STREAM), when either side resets it, or when the
 * flow ends. Memory: a frame whose header block is over {@link #MAX_BLOCK} bytes cannot be
 * decoded, so that direction's headers are no longer read (its HPACK table would be wrong); at
 * most {@link #MAX_STREAMS} streams are tracked (the oldest goes out when one more opens).
 */
final class Http2Connection {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /** Largest header block (all its frames) decoded. */
    static final int MAX_BLOCK = 64 * 1024;
    /** Streams tracked at once on the events path. */
    static final int MAX_STREAMS = 128;
    static final String VERSION = "HTTP/2";

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int PUSH_PROMISE = 5;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY = 0x20;

    /** One direction's frame parser. */
    static final class Dir {
        final boolean client;
        int prefaceLeft;
        final byte[] hdr = new byte[9];
        int hdrN;
        int len;
        int type;
        int flags;
        int stream;
        int left;
        /** Payload of a frame carrying a header block fragment, buffered up to MAX_BLOCK. */
        byte[] payload;
        int payN;
        boolean buffering;
        int padLen;
        /** The header block being reassembled. */
        byte[] block;
        int blockN;
        int blockStream;
        int blockFlags;
        boolean blockPush;
        int promised;
        boolean inBlock;
        /** Headers of this direction can no longer be decoded. */
        boolean broken;
        final Hpack hpack = new Hpack();

        Dir(boolean client, boolean preface) {
            this.client = client;
            this.prefaceLeft = preface ? PREFACE.length : 0;
        }
    }

    final Dir client;
    final Dir server;
    /** The client's preface has been seen whole. */
    boolean matched;
    int requests;
    // events path only: streams in the order they opened
    java.util.LinkedHashMap<Integer, HttpDissector.Exchange> streams;

    Http2Connection(boolean clientPreface) {
        client = new Dir(true, clientPreface);
        server = new Dir(false, false);
    }

    /** Whether {@code b[off..off+len)} agrees with the client connection preface as far as it goes. */
    static boolean agreesWithPreface(byte[] b, int off, int len) {
        int n = Math.min(len, PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (b[off + i] != PREFACE[i]) {
                return false;
            }
        }
        return len > 0;
    }

    /**
     * Whether a server's first bytes are a SETTINGS frame on stream 0 (a server that speaks
     * first on a prior-knowledge connection): length a multiple of 6 and at most 16 settings.
     */
    static boolean looksLikeServerSettings(byte[] b, int off, int len) {
        if (len < 9) {
            return false;
        }
        int flen = (b[off] & 0xFF) << 16 | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF);
        return flen % 6 == 0 && flen <= 96 && b[off + 3] == 4 && b[off + 4] == 0
                && b[off + 5] == 0 && b[off + 6] == 0 && b[off + 7] == 0 && b[off + 8] == 0;
    }

    /** The request of the HTTP/1.1 {@code Upgrade: h2c} exchange is stream 1 (RFC 9113 3.2, RFC 7540 3.2). */
    void upgraded(FlowContext ctx, HttpDissector.Exchange request) {
        matched = true;
        requests = 1;
        if (request != null && ctx.transactions()) {
            request.streamId = 1;
            request.version = VERSION;
            request.status = -1;
            request.upgrade = "h2c";
            streams().put(1, request);
        }
    }

    private java.util.LinkedHashMap<Integer, HttpDissector.Exchange> streams() {
        if (streams == null) {
            streams = new java.util.LinkedHashMap<>();
        }
        return streams;
    }

    /** Feeds one chunk of one direction; returns the dissector's verdict. */
    int feed(FlowContext ctx, HttpDissector.State st, boolean fromClient, byte[] b, int off, int len) {
        Dir d = fromClient ? client : server;
        int p = off;
        int end = off + len;
        while (p < end) {
            if (d.prefaceLeft > 0) {
                int i = PREFACE.length - d.prefaceLeft;
                if (b[p] != PREFACE[i]) {
                    if (!matched) {
                        return Dissector.NO;
                    }
                    d.broken = true;
                    return verdict(ctx, st);
                }
                p++;
                if (--d.prefaceLeft == 0 && !matched) {
                    matched = true;
                    st.matched = true;
                    ctx.setProtocol("HTTP2", "Web");
                    ctx.put(Registration.HTTP_VERSION.key(), VERSION);
                }
                continue;
            }
            if (d.hdrN < 9) {
                int take = Math.min(9 - d.hdrN, end - p);
                System.arraycopy(b, p, d.hdr, d.hdrN, take);
                d.hdrN += take;
                p += take;
                if (d.hdrN < 9) {
                    break;
                }
                startFrame(d);
                if (d.left == 0) {
                    endFrame(ctx, st, d);
                }
                continue;
            }
            int take = Math.min(d.left, end - p);
            if (d.type == DATA && d.payN == 0 && (d.flags & PADDED) != 0) {
                d.padLen = b[p] & 0xFF;
            }
            if (d.buffering) {
                System.arraycopy(b, p, d.payload, d.payN, take);
            }
            d.payN += take;
            d.left -= take;
            p += take;
            if (d.left == 0) {
                endFrame(ctx, st, d);
            }
        }
        return verdict(ctx, st);
    }

    private int verdict(FlowContext ctx, HttpDissector.State st) {
        if (!matched) {
            return Dissector.NEED_MORE;
        }
        if (client.broken && server.broken) {
            return Dissector.DONE;
        }
        // without events: done once the first request and the first final response are known
        return !ctx.transactions() && st.responded && requests > 0 ? Dissector.DONE : Dissector.MATCH;
    }

    private static void startFrame(Dir d) {
        byte[] h = d.hdr;
        d.len = (h[0] & 0xFF) << 16 | (h[1] & 0xFF) << 8 | (h[2] & 0xFF);
        d.type = h[3] & 0xFF;
        d.flags = h[4] & 0xFF;
        d.stream = (h[5] & 0x7F) << 24 | (h[6] & 0xFF) << 16 | (h[7] & 0xFF) << 8 | (h[8] & 0xFF);
        d.left = d.len;
        d.payN = 0;
        d.padLen = 0;
        boolean fragment = d.type == HEADERS || d.type == PUSH_PROMISE || d.type == CONTINUATION;
        d.buffering = fragment && !d.broken && d.len <= MAX_BLOCK;
        if (fragment && d.len > MAX_BLOCK) {
            d.broken = true;   // too large to decode: this direction's HPACK state is lost
        }
        if (d.buffering && (d.payload == null || d.payload.length < d.len)) {
            d.payload = new byte[Math.min(MAX_BLOCK, Math.max(d.len, d.payload == null ? 1024 : d.payload.length * 2))];
        }
    }

    private void endFrame(FlowContext ctx, HttpDissector.State st, Dir d) {
        d.hdrN = 0;
        if (d.inBlock && d.type != CONTINUATION) {
            d.broken = true;   // a header block interrupted (RFC 9113 6.10): a protocol error
            d.inBlock = false;
        }
        switch (d.type) {
            case DATA -> {
                int body = d.len;
                if ((d.flags & PADDED) != 0) {
                    body = Math.max(0, d.len - 1 - d.padLen);
                }
                HttpDissector.Exchange x = streams == null ? null : streams.get(d.stream);
                if (x != null) {
                    if (d.client) {
                        x.requestBytes += body;
                    } else {
                        x.responseBytes += body;
                    }
                }
                if ((d.flags & END_STREAM) != 0 && !d.client) {
                    closed(ctx, d.stream);
                }
            }
            case HEADERS, PUSH_PROMISE -> {
                if (!d.buffering) {
                    return;
                }
                int o = 0;
                int n = d.len;
                if ((d.flags & PADDED) != 0) {
                    if (n < 1) {
                        d.broken = true;
                        return;
                    }
                    int pad = d.payload[0] & 0xFF;
                    o = 1;
                    n -= 1 + pad;
                }
                if (d.type == HEADERS && (d.flags & PRIORITY) != 0) {
                    o += 5;
                    n -= 5;
                }
                int promised = 0;
                if (d.type == PUSH_PROMISE) {
                    if (n < 4) {
                        d.broken = true;
                        return;
                    }
                    promised = (d.payload[o] & 0x7F) << 24 | (d.payload[o + 1] & 0xFF) << 16
                            | (d.payload[o + 2] & 0xFF) << 8 | (d.payload[o + 3] & 0xFF);
                    o += 4;
                    n -= 4;
                }
                if (n < 0) {
                    d.broken = true;
                    return;
                }
                d.blockN = 0;
                d.blockStream = d.stream;
                d.blockFlags = d.flags;
                d.blockPush = d.type == PUSH_PROMISE;
                d.promised = promised;
                append(d, o, n);
                if ((d.flags & END_HEADERS) != 0) {
                    block(ctx, st, d);
                } else {
                    d.inBlock = true;
                }
            }
            case CONTINUATION -> {
                if (!d.buffering || !d.inBlock || d.stream != d.blockStream) {
                    d.broken = true;
                    d.inBlock = false;
                    return;
                }
                append(d, 0, d.len);
                if ((d.flags & END_HEADERS) != 0) {
                    d.inBlock = false;
                    block(ctx, st, d);
                }
            }
            case RST_STREAM -> closed(ctx, d.stream);
            default -> {
                // SETTINGS, PING, PRIORITY, WINDOW_UPDATE, GOAWAY, extensions: nothing to report
            }
        }
    }

    private static void append(Dir d, int o, int n) {
        if (d.broken) {
            return;
        }
        if (d.blockN + n > MAX_BLOCK) {
            d.broken = true;
            return;
        }
        if (d.block == null || d.block.length < d.blockN + n) {
            d.block = java.util.Arrays.copyOf(d.block == null ? new byte[0] : d.block,
                    Math.min(MAX_BLOCK, Math.max(d.blockN + n, d.block == null ? 1024 : d.block.length * 2)));
        }
        System.arraycopy(d.payload, o, d.block, d.blockN, n);
        d.blockN += n;
    }

    /** The fields of one header block that matter here. */
    static final class Head implements Hpack.Fields {
        String method;
        String authority;
        String host;
        String path;
        String status;
        String userAgent;
        String contentType;
        String server;
        String authorization;

        @Override
        public void field(String name, String value) {
            switch (name) {
                case ":method" -> method = value;
                case ":authority" -> authority = value;
                case "host" -> host = value;
                case ":path" -> path = value;
                case ":status" -> status = value;
                case "user-agent" -> userAgent = value;
                case "content-type" -> contentType = value;
                case "server" -> server = value;
                case "authorization", "proxy-authorization" -> authorization = value;
                default -> {
                }
            }
        }
    }

    private void block(FlowContext ctx, HttpDissector.State st, Dir d) {
        if (d.broken) {
            return;
        }
        Head h = new Head();
        if (!d.hpack.decode(d.block, 0, d.blockN, h)) {
            d.broken = true;
            return;
        }
        if (d.blockPush) {
            request(ctx, st, d.promised, h, true);
        } else if (d.client) {
            request(ctx, st, d.blockStream, h, false);
        } else {
            response(ctx, st, d.blockStream, h, (d.blockFlags & END_STREAM) != 0);
        }
    }

    private void request(FlowContext ctx, HttpDissector.State st, int stream, Head h, boolean pushed) {
        if (h.method == null) {
            return;   // trailers
        }
        String host = HttpHead.hostWithoutPort(h.authority != null ? h.authority : h.host);
        String path = h.path == null ? null : HttpDissector.withoutQuery(h.path);
        requests++;
        if (!pushed) {
            st.requests++;
            ctx.put(Registration.HTTP_REQUESTS.key(), (long) st.requests);
        }
        if (requests == 1) {
            st.firstRequestNanos = ctx.timestampNanos();
            ctx.put(Registration.HTTP_METHOD.key(), h.method);
            if (path != null) {
                ctx.put(Registration.HTTP_URL.key(), path);
            }
            if (host != null && !host.isEmpty()) {
                ctx.put(Registration.HTTP_HOST.key(), host);
                ctx.setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, false);
                if (HttpHead.isIpLiteral(host)) {
                    ctx.addRisk(Risk.NUMERIC_HOST);
                }
            }
            ctx.put(Registration.HTTP_USER_AGENT.key(), h.userAgent);
        }
        if (h.authorization != null && h.authorization.regionMatches(true, 0, "basic ", 0, 6)) {
            ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
        }
        if (!ctx.transactions()) {
            return;
        }
        HttpDissector.Exchange x = new HttpDissector.Exchange();
        x.streamId = stream;
        x.method = h.method;
        x.host = host == null || host.isEmpty() ? null : host;
        x.url = path;
        x.userAgent = h.userAgent;
        x.ntlm = HttpDissector.ntlm(h.authorization);   // as HTTP/1.x: an NTLM AUTHENTICATE message's names
        x.version = VERSION;
        x.requestNanos = ctx.timestampNanos();
        java.util.LinkedHashMap<Integer, HttpDissector.Exchange> m = streams();
        if (m.size() >= MAX_STREAMS && !m.containsKey(stream)) {
            var oldest = m.entrySet().iterator();
            HttpDissector.emit(ctx, oldest.next().getValue());
            oldest.remove();
        }
        HttpDissector.Exchange old = m.put(stream, x);
        if (old != null) {
            HttpDissector.emit(ctx, old);   // a stream id reused: not valid HTTP/2, report both
        }
    }

    private void response(FlowContext ctx, HttpDissector.State st, int stream, Head h, boolean endStream) {
        int status = h.status == null ? -1 : HttpDissector.parseStatus(h.status);
        if (status >= 100 && status < 200) {
            return;   // interim response
        }
        HttpDissector.Exchange x = streams == null ? null : streams.get(stream);
        if (status >= 0 && (x == null || x.status < 0)) {
            HttpDissector.firstResponse(ctx, st, status, h.contentType, h.server);
            if (x == null && ctx.transactions()) {
                x = new HttpDissector.Exchange();   // a response whose request was not seen
                x.streamId = stream;
                x.version = VERSION;
                java.util.LinkedHashMap<Integer, HttpDissector.Exchange> m = streams();
                if (m.size() >= MAX_STREAMS) {
                    var oldest = m.entrySet().iterator();
                    HttpDissector.emit(ctx, oldest.next().getValue());
                    oldest.remove();
                }
                m.put(stream, x);
            }
            if (x != null) {
                x.status = status;
                x.contentType = h.contentType;
                x.server = h.server;
                x.responseNanos = ctx.timestampNanos();
            }
        }
        if (endStream) {
            closed(ctx, stream);
        }
    }

    /** The stream ended (the server's END_STREAM, or RST_STREAM from either side): its event goes out. */
    private void closed(FlowContext ctx, int stream) {
        if (streams == null) {
            return;
        }
        HttpDissector.Exchange x = streams.remove(stream);
        if (x != null) {
            HttpDissector.emit(ctx, x);
        }
    }

    /** Streams never closed, at the flow's end. */
    void flush(FlowContext ctx) {
        if (streams != null) {
            for (HttpDissector.Exchange x : streams.values()) {
                HttpDissector.emit(ctx, x);
            }
            streams.clear();
        }
    }
}
