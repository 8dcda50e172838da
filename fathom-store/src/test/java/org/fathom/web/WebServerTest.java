package org.fathom.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.fathom.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebServerTest {
    @TempDir
    Path tmp;

    /** Fewer PBKDF2 rounds than the default, so the test does not spend seconds hashing (the format is the same). */
    private static final int FEW = 10_000;

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private WebServer start(WebServer.Access access, WebServer.Limits limits) throws Exception {
        Store store = Store.inMemory();
        return WebServer.start(LOOPBACK, access, limits, new Dashboard(store, true, null).routes());
    }

    private static HttpResponse<String> get(HttpClient c, String url, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (auth != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageTheScriptsAndTheApiWithSafeHeaders() throws Exception {
        try (WebServer w = start(WebServer.Access.OPEN, WebServer.Limits.DEFAULT); HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> page = get(c, w.url(), null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"/dashboard.js\"").doesNotContain("<script>");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
            assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(get(c, w.url() + "uplot/uPlot.iife.min.js", null).body()).contains("uPlot");
            assertThat(get(c, w.url() + "uplot/LICENSE", null).body()).contains("MIT");
            HttpResponse<String> api = get(c, w.url() + "api/overview?range=900", null);
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(api.body()).contains("\"live\":true").contains("\"calls\"").contains("\"privacy\"");
            assertThat(get(c, w.url() + "api/overview?range=17", null).statusCode()).isEqualTo(400);
            assertThat(get(c, w.url() + "nothing-here", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void basicAuthenticationWithHashedPasswords() throws Exception {
        Path file = tmp.resolve("users");
        Files.writeString(file, "# operators\n" + Users.line("alice", "s3cret pass", FEW) + "\n" + Users.line("bob", "other", FEW) + "\n");
        assertThat(Files.readString(file)).doesNotContain("s3cret");
        Users users = Users.load(file);
        try (WebServer w = start(new WebServer.Access(users, null), WebServer.Limits.DEFAULT); HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> none = get(c, w.url(), null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic realm=");
            assertThat(get(c, w.url(), "alice:wrong").statusCode()).isEqualTo(401);
            assertThat(get(c, w.url(), "carol:s3cret pass").statusCode()).isEqualTo(401);   // unknown name: the decoy's cost
            assertThat(get(c, w.url(), "bob:s3cret pass").statusCode()).isEqualTo(401);
            assertThat(get(c, w.url(), "alice:s3cret pass").statusCode()).isEqualTo(200);
            assertThat(get(c, w.url() + "api/overview?range=3600", "bob:other").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void usersFileErrorsNameFileAndLine() throws Exception {
        Path file = tmp.resolve("users");
        Files.writeString(file, Users.line("alice", "x", FEW) + "\nbob:plain:password\n");
        assertThatThrownBy(() -> Users.load(file)).hasMessage(file + " line 2: expected NAME:pbkdf2-sha256:ITERATIONS:SALT:HASH"
                + " (make one with 'fathom passwd NAME')");
        Files.writeString(file, "bob:md5:1000:AAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA==\n");
        assertThatThrownBy(() -> Users.load(file)).hasMessageContaining("line 1: unknown password scheme 'md5'");
        Files.writeString(file, "# nobody\n");
        assertThatThrownBy(() -> Users.load(file)).hasMessageContaining("no users");
    }

    @Test
    void requestsAreBounded() throws Exception {
        try (WebServer w = start(WebServer.Access.OPEN, new WebServer.Limits(0, 256, 5, 10)); HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> post = c.send(HttpRequest.newBuilder(URI.create(w.url() + "api/overview"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            // a GET with a body is refused before the body is read
            HttpResponse<String> body = c.send(HttpRequest.newBuilder(URI.create(w.url()))
                    .method("GET", HttpRequest.BodyPublishers.ofString("y".repeat(70_000))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(body.statusCode()).isEqualTo(413);
            assertThat(get(c, w.url() + "?" + "a".repeat(300), null).statusCode()).isEqualTo(414);
            int tooMany = 0;
            for (int i = 0; i < 40; i++) {
                if (get(c, w.url() + "dashboard.css", null).statusCode() == 429) {
                    tooMany++;
                }
            }
            assertThat(tooMany).isGreaterThan(20);   // a burst of 10 (less the 3 above), then about 5 per second
            assertThat(w.refused()).isGreaterThanOrEqualTo(tooMany + 3);
            Thread.sleep(1000);
            assertThat(get(c, w.url() + "dashboard.css", null).statusCode()).isEqualTo(200);   // tokens come back
        }
    }

    @Test
    void tlsFromPemFilesMadeByOpenssl() throws Exception {
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "openssl is not installed: " + e.getMessage());
            return;
        }
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        SSLContext server = Tls.context(cert, key);
        // the client trusts exactly that certificate
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("fathom", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        Path users = tmp.resolve("users");
        Files.writeString(users, Users.line("alice", "pw", FEW) + "\n");
        try (WebServer w = start(new WebServer.Access(Users.load(users), server), WebServer.Limits.DEFAULT);
             HttpClient c = HttpClient.newBuilder().sslContext(client).build()) {
            assertThat(w.url()).startsWith("https://127.0.0.1:");
            assertThat(get(c, w.url(), null).statusCode()).isEqualTo(401);
            HttpResponse<String> ok = get(c, w.url() + "api/overview?range=900", "alice:pw");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.sslSession()).isPresent();
            // plain HTTP to the TLS port gets no dashboard
            try (HttpClient plain = HttpClient.newHttpClient()) {
                assertThatThrownBy(() -> get(plain, w.url().replace("https", "http"), "alice:pw")).isInstanceOf(java.io.IOException.class);
            }
        }
        // a PKCS#1 key or a key file that is a certificate: one line saying what to do
        Files.writeString(tmp.resolve("rsa1.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Tls.context(cert, tmp.resolve("rsa1.pem"))).hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> Tls.context(key, key)).hasMessageContaining("not a PEM certificate");
    }

    static {
        assert Map.of() != null;
    }
}
