package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom live --http} serves the dashboard while it runs, from a store in memory: over a
 * replayed capture of DNS-like UDP datagrams from subscriber addresses, the API answers only with
 * authentication, says it is live, and shows the flows once they end, without any raw subscriber
 * address.
 */
class LiveDashboardTest {
    @TempDir
    Path dir;

    @Test
    void liveRunServesItsDashboardWhileItRuns() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        TinyPcap p = new TinyPcap(now);
        byte[] payload = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 8; i++) {   // 8 clients in the first second, then a packet a second to keep the replay going
            p.udp("10.9.0." + (i + 1), 40000 + i, "192.0.2.53", 9999, payload).advanceMicros(100_000);
        }
        for (int s = 0; s < 8; s++) {
            p.advanceMicros(1_000_000).udp("198.51.100.1", 5000, "192.0.2.80", 7000 + s, payload);
        }
        Path capture = dir.resolve("replay.pcap");
        p.write(capture);
        Path users = dir.resolve("users");
        Files.writeString(users, org.fathom.web.Users.line("noc", "pw", 10_000) + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        AtomicReference<AnalyzeCommandTest.Run> result = new AtomicReference<>();
        Thread live = Thread.ofPlatform().start(() -> result.set(AnalyzeCommandTest.fathom("live", "-q", "-r", capture.toString(),
                "--replay", "-w", "1", "--udp-timeout", "1", "--http", "127.0.0.1:" + port, "--http-users", users.toString(),
                "--audit-log", dir.resolve("audit.log").toString(), "--key-file", dir.resolve("key").toString())));
        String api = "http://127.0.0.1:" + port + "/api/overview?range=900";
        String auth = "Basic " + Base64.getEncoder().encodeToString("noc:pw".getBytes(StandardCharsets.UTF_8));
        String seen = null;
        boolean refused = false;
        try (HttpClient c = HttpClient.newHttpClient()) {
            long until = System.nanoTime() + 30_000_000_000L;
            while (live.isAlive() && System.nanoTime() < until) {
                try {
                    if (!refused) {
                        refused = c.send(HttpRequest.newBuilder(URI.create(api)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode() == 401;
                    }
                    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(api)).header("Authorization", auth).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().matches(".*\"flows\":[1-9].*")) {
                        seen = r.body();
                        break;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
        }
        live.join(60_000);
        assertThat(result.get().status()).as(result.get().err()).isZero();
        assertThat(refused).as("a request without credentials is refused").isTrue();
        assertThat(seen).as("flows reached the live dashboard while the run went on").isNotNull();
        assertThat(seen).contains("\"live\":true").contains("\"mode\":\"pseudonymous\"").doesNotContain("10.9.0.");
        // the run's own counters beside the store's figures: packets read, drops at the capture edge and in outputs
        assertThat(seen).containsPattern("\"status\":\\{\"packets\":[1-9]\\d*,\"bytes\":[1-9]")
                .contains("\"capture_dropped_kernel\":0", "\"capture_dropped_interface\":0", "\"output_dropped_records\":0",
                        "\"flows_evicted\":0").containsPattern("\"flows_active\":\\d+");
    }
}
