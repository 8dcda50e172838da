package org.fathom.cli;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fathom.store.Store;
import org.fathom.web.Dashboard;
import org.fathom.web.Tls;
import org.fathom.web.Users;
import org.fathom.web.WebServer;
import picocli.CommandLine.Option;

/**
 * The web server of commands that serve the dashboard ({@code serve}, {@code live}): where it
 * binds, TLS, users and request limits (docs/STORE.md, "Access"). A mixin shared by both.
 */
final class HttpOptions {
    @Option(names = "--http", paramLabel = "ADDR:PORT", description = "Serve the overview dashboard (and /metrics) on this address only, e.g. 127.0.0.1:8080 or [::1]:8080. Binding an address other than loopback needs --http-users (or --http-allow-unauthenticated).")
    String http;

    @Option(names = "--http-tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this PEM certificate (chain); needs --http-tls-key.")
    Path tlsCert;

    @Option(names = "--http-tls-key", paramLabel = "FILE", description = "The unencrypted PKCS#8 PEM private key of --http-tls-cert.")
    Path tlsKey;

    @Option(names = "--http-users", paramLabel = "FILE", description = "Require HTTP basic authentication by these users: lines NAME:pbkdf2-sha256:ITERATIONS:SALT:HASH, made with 'fathom passwd NAME'.")
    Path users;

    @Option(names = "--http-allow-unauthenticated", description = "Allow binding an address other than loopback without --http-users (anyone who reaches it sees the dashboard).")
    boolean allowUnauthenticated;

    @Option(names = "--http-rate", paramLabel = "N", description = "Requests per second per client address; more are answered 429 (default: ${DEFAULT-VALUE}, bursts of 3 times as many).")
    double rate = 20;

    boolean enabled() {
        return http != null;
    }

    /** Checks every option (before any capture starts). @throws UserError on any bad value */
    Prepared prepare() {
        if (!enabled()) {
            if (tlsCert != null || tlsKey != null || users != null || allowUnauthenticated) {
                throw new UserError("--http-tls-cert, --http-tls-key, --http-users and --http-allow-unauthenticated need --http ADDR:PORT");
            }
            return null;
        }
        InetSocketAddress address = address(http);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UserError("--http-tls-cert and --http-tls-key go together");
        }
        if (!(rate > 0) || rate > 1e6) {
            throw new UserError("--http-rate must be a positive number of requests per second, not " + rate);
        }
        Users u = null;
        if (users != null) {
            try {
                u = Users.load(users);
            } catch (IOException e) {
                throw new UserError(users + ": cannot read users (" + RunOptions.message(e) + ")");
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        if (u == null && !address.getAddress().isLoopbackAddress() && !allowUnauthenticated) {
            throw new UserError("--http " + http + " is not a loopback address: give --http-users FILE (and TLS), or "
                    + "--http-allow-unauthenticated to let anyone who reaches it see the dashboard");
        }
        javax.net.ssl.SSLContext tls = null;
        if (tlsCert != null) {
            try {
                tls = Tls.context(tlsCert, tlsKey);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        int burst = (int) Math.max(1, Math.min(1e6, rate * 3));
        return new Prepared(address, new WebServer.Access(u, tls), new WebServer.Limits(0, 2048, rate, burst));
    }

    record Prepared(InetSocketAddress address, WebServer.Access access, WebServer.Limits limits) {}

    /**
     * Starts the server with the dashboard over {@code store} and any extra routes (e.g. /metrics).
     *
     * @throws UserError when the address cannot be bound
     */
    static WebServer start(Prepared p, Store store, boolean live, Map<String, HttpHandler> extra) {
        return start(p, store, live, null, extra);
    }

    /** As above, with the live counters the dashboard shows ({@code status}; null: none, as for {@code serve}). */
    static WebServer start(Prepared p, Store store, boolean live, java.util.function.Supplier<Map<String, Object>> status,
                           Map<String, HttpHandler> extra) {
        Map<String, HttpHandler> routes = new LinkedHashMap<>(new Dashboard(store, live, status).routes());
        routes.putAll(extra);
        try {
            return WebServer.start(p.address(), p.access(), p.limits(), routes);
        } catch (IOException e) {
            throw new UserError("--http " + p.address().getHostString() + ":" + p.address().getPort() + ": cannot listen ("
                    + RunOptions.message(e) + ")");
        }
    }

    /** ADDR:PORT, [IPv6]:PORT or HOST:PORT. */
    static InetSocketAddress address(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new UserError("--http " + s + ": expected ADDR:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new UserError("--http " + s + ": write an IPv6 address in brackets, e.g. [::1]:8080");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new UserError("--http " + s + ": port must be 0..65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UserError("--http " + s + ": unknown host " + host);
        }
    }
}
