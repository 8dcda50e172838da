package org.fathom.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The web server of the dashboard (and of other handlers mounted beside it, such as
 * {@code /metrics}), on the JDK's {@code com.sun.net.httpserver}: HTTP or HTTPS, bound only to
 * the address given. Every route passes one filter first: requests are bounded (only GET and
 * HEAD, no body: 405/413; request target at most {@link Limits#maxUriChars}: 414; per client
 * address a token bucket of {@link Limits#ratePerSecond}: 429), then, with users, HTTP basic
 * authentication (401); every response carries headers that forbid framing, sniffing and
 * foreign scripts.
 */
public final class WebServer implements AutoCloseable {
    /** Who may look, and over what. Both null: plain HTTP, no authentication. */
    public record Access(Users users, SSLContext tls) {
        public static final Access OPEN = new Access(null, null);
    }

    /** Request bounds. */
    public record Limits(long maxBodyBytes, int maxUriChars, double ratePerSecond, int burst) {
        public static final Limits DEFAULT = new Limits(0, 2048, 20, 60);
    }

    static final int THREADS = 4;
    static final int QUEUE = 64;
    static final int MAX_CLIENTS_TRACKED = 10_000;

    static {
        // bounds of the JDK server itself, unless the user set them: a slow client cannot hold a thread
        setIfAbsent("sun.net.httpserver.maxReqTime", "30");
        setIfAbsent("sun.net.httpserver.maxRspTime", "60");
        setIfAbsent("sun.net.httpserver.maxReqHeaders", "64");
        setIfAbsent("sun.net.httpserver.maxReqHeaderSize", "16384");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final boolean https;
    private final AtomicLong refused = new AtomicLong();

    private WebServer(HttpServer server, ThreadPoolExecutor executor, boolean https) {
        this.server = server;
        this.executor = executor;
        this.https = https;
    }

    /**
     * Binds and starts the server with these routes (path prefix to handler).
     *
     * @throws IOException when the address cannot be bound
     */
    public static WebServer start(InetSocketAddress address, Access access, Limits limits, Map<String, HttpHandler> routes)
            throws IOException {
        HttpServer s;
        if (access.tls() != null) {
            HttpsServer hs = HttpsServer.create(address, 64);
            hs.setHttpsConfigurator(new HttpsConfigurator(access.tls()));
            s = hs;
        } else {
            s = HttpServer.create(address, 64);
        }
        // a few threads and a bounded queue; when both are full the server's own thread serves
        // the request, which stops it accepting more meanwhile (back-pressure, not growth)
        ThreadPoolExecutor ex = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> Thread.ofPlatform().daemon().name("fathom-http").unstarted(r), new ThreadPoolExecutor.CallerRunsPolicy());
        s.setExecutor(ex);
        WebServer w = new WebServer(s, ex, access.tls() != null);
        Filter guard = w.new Guard(access.users(), limits);
        Map<String, HttpHandler> all = new LinkedHashMap<>(routes);
        if (!all.containsKey("/")) {
            all.put("/", x -> send(x, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8)));
        }
        for (Map.Entry<String, HttpHandler> e : all.entrySet()) {
            HttpContext c = s.createContext(e.getKey(), e.getValue());
            c.getFilters().add(guard);
        }
        s.start();
        return w;
    }

    /** The bound address (the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The server's base URL. */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host.replaceAll("%.*", "") + "]";
        }
        return (https ? "https" : "http") + "://" + host + ":" + a.getPort() + "/";
    }

    /** Requests refused so far (limits or authentication). */
    public long refused() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Sends a whole response (HEAD: headers only). */
    public static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(x.getRequestMethod());
        x.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            x.getResponseBody().write(body);
        }
        x.close();
    }

    /** The limits, authentication and response headers in front of every route. */
    private final class Guard extends Filter {
        private final Users users;
        private final Limits limits;
        private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Long> verified = new ConcurrentHashMap<>();

        Guard(Users users, Limits limits) {
            this.users = users;
            this.limits = limits;
        }

        @Override
        public String description() {
            return "fathom request limits and authentication";
        }

        @Override
        public void doFilter(HttpExchange x, Chain chain) throws IOException {
            var h = x.getResponseHeaders();
            h.set("X-Content-Type-Options", "nosniff");
            h.set("X-Frame-Options", "DENY");
            h.set("Referrer-Policy", "no-referrer");
            h.set("Cache-Control", "no-store");
            h.set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                    + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
            try (x) {
                if (!allowed(x.getRemoteAddress().getAddress())) {
                    h.set("Retry-After", "1");
                    refuse(x, 429, "too many requests\n");
                    return;
                }
                if (x.getRequestURI().toString().length() > limits.maxUriChars()) {
                    refuse(x, 414, "request target too long\n");
                    return;
                }
                String method = x.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    h.set("Allow", "GET, HEAD");
                    refuse(x, 405, "only GET and HEAD\n");
                    return;
                }
                String length = x.getRequestHeaders().getFirst("Content-Length");
                boolean chunked = x.getRequestHeaders().getFirst("Transfer-Encoding") != null;
                long declared = 0;
                if (length != null) {
                    try {
                        declared = Long.parseLong(length.strip());
                    } catch (NumberFormatException e) {
                        declared = Long.MAX_VALUE;
                    }
                }
                if (chunked || declared > limits.maxBodyBytes()) {
                    refuse(x, 413, "request body too large\n");
                    return;
                }
                if (users != null && !authenticated(x)) {
                    h.set("WWW-Authenticate", "Basic realm=\"fathom\", charset=\"UTF-8\"");
                    refuse(x, 401, "authentication required\n");
                    return;
                }
                drain(x.getRequestBody());
                chain.doFilter(x);
            }
        }

        private void refuse(HttpExchange x, int status, String why) throws IOException {
            refused.incrementAndGet();
            send(x, status, "text/plain; charset=utf-8", why.getBytes(StandardCharsets.UTF_8));
        }

        private boolean authenticated(HttpExchange x) {
            String a = x.getRequestHeaders().getFirst("Authorization");
            if (a == null || a.length() > 1024 || !a.regionMatches(true, 0, "Basic ", 0, 6)) {
                return false;
            }
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(a.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                return false;
            }
            // a browser sends the same credentials with every request: a good pair is remembered for
            // a while as its SHA-256 (never the password), so PBKDF2 runs once, not every 10 s
            String digest = sha256(a);
            Long until = verified.get(digest);
            long now = System.nanoTime();
            if (until != null && now - until < 0) {
                return true;
            }
            if (!users.check(pair.substring(0, colon), pair.substring(colon + 1))) {
                return false;
            }
            if (verified.size() >= 1000) {
                verified.clear();
            }
            verified.put(digest, now + 300_000_000_000L);
            return true;
        }

        /** A token bucket per client address; the table of addresses is bounded. */
        private boolean allowed(InetAddress client) {
            long now = System.nanoTime();
            if (buckets.size() >= MAX_CLIENTS_TRACKED && !buckets.containsKey(client)) {
                buckets.values().removeIf(b -> now - b.last > 60_000_000_000L);
                if (buckets.size() >= MAX_CLIENTS_TRACKED) {
                    return false;
                }
            }
            Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(limits.burst(), now));
            synchronized (b) {
                b.tokens = Math.min(limits.burst(), b.tokens + (now - b.last) / 1e9 * limits.ratePerSecond());
                b.last = now;
                if (b.tokens < 1) {
                    return false;
                }
                b.tokens -= 1;
                return true;
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] b = new byte[512];
        while (in.read(b) >= 0) {
            // a GET has no body; whatever came within the limit is read so the connection can be reused
        }
    }
}
