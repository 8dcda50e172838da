package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code /metrics}: a run's metrics served by a JDK HTTP server started here, scraped over HTTP and
 * parsed by a real Prometheus text parser (Python's {@code prometheus_client.parser}, Debian
 * python3-prometheus-client); the values must equal the run's summary and its records.
 */
class FathomMetricsTest {
    static final Path SAMPLE = Path.of("..", "samples", "http-loopback.pcap");
    static final Path PYTHON = Path.of("/usr/bin/python3");
    /** A SIP call with RTP from the corpus (used when the corpus is there). */
    static final Path SIP_CALL = IpfixInteropTest.CORPUS.resolve("FAX-Call-t38-CA-TDM-SIP-FB-1.pcap");
    static final Pattern ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+|[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:]*");

    @TempDir
    Path dir;

    /** One sample as the parser read it. */
    record Sample(String name, Map<String, String> labels, double value) {}

    static void assumeParser() {
        assumeTrue(Files.isExecutable(PYTHON), "needs /usr/bin/python3");
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import prometheus_client.parser").redirectErrorStream(true).start();
            assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                    "needs Python's prometheus_client (apt-get install python3-prometheus-client)");
        } catch (IOException | InterruptedException e) {
            assumeTrue(false, "cannot run python3: " + e);
        }
    }

    /** Parses exposition text with prometheus_client.parser: every sample, as the parser sees it. */
    static List<Sample> parse(String text) throws Exception {
        String script = """
                import sys, json
                from prometheus_client.parser import text_string_to_metric_families
                out = []
                for fam in text_string_to_metric_families(sys.stdin.read()):
                    for s in fam.samples:
                        out.append([s.name, s.labels, s.value])
                print(json.dumps(out))
                """;
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", script).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the parser rejected the exposition: %s%n%s", err, text).isZero();
        List<Sample> samples = new ArrayList<>();
        for (Object o : (List<?>) JsonLines.parse("{\"s\":" + out.strip() + "}").getFirst().get("s")) {
            List<?> l = (List<?>) o;
            Map<String, String> labels = new TreeMap<>();
            ((Map<?, ?>) l.get(1)).forEach((k, v) -> labels.put((String) k, (String) v));
            samples.add(new Sample((String) l.get(0), labels, ((Number) l.get(2)).doubleValue()));
        }
        return samples;
    }

    static double value(List<Sample> samples, String name, String... labels) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(want.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    static boolean has(List<Sample> samples, String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** A JDK HTTP server on loopback serving the handler at /metrics, as the web server mounts it. */
    static HttpServer serve(FathomMetrics m) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", m.handler());
        server.start();
        return server;
    }

    static String scrape(HttpServer server) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            return r.body();
        }
    }

    /** Runs a command in this JVM with the metrics attached; standard output and error captured. */
    static AnalyzeCommandTest.Run run(FathomMetrics m, Object command, RunOptions options, String... args) throws Exception {
        new CommandLine(command).parseArgs(args);
        options.metrics = m;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int status = ((Callable<?>) command).call() instanceof Integer i ? i : -1;
            return new AnalyzeCommandTest.Run(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Frames and their wire lengths in a classic pcap file (either byte order). */
    static long[] framesAndBytes(Path pcap) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
        b.order(b.getInt(0) == 0xa1b2c3d4 || b.getInt(0) == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long frames = 0;
        long bytes = 0;
        int at = 24;
        while (at + 16 <= b.limit()) {
            int incl = b.getInt(at + 8);
            bytes += Integer.toUnsignedLong(b.getInt(at + 12));
            frames++;
            at += 16 + incl;
        }
        return new long[] {frames, bytes};
    }

    static long summaryNumber(String summary, String regex) {
        Matcher m = Pattern.compile(regex).matcher(summary);
        assertThat(m.find()).as("summary has %s:%n%s", regex, summary).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void analyzeMetricsScrapedOverHttpEqualTheSummaryAndTheReleasedRecords() throws Exception {
        assumeParser();
        // a UDP flood recorded on loopback (hping3), one of core's attack captures
        Path floodFile = Path.of("..", "fathom-core", "src", "test", "resources", "captures", "attacks", "udp-flood.pcap");
        List<String> inputs = new ArrayList<>(List.of(SAMPLE.toString(), floodFile.toString()));
        boolean sip = Files.isRegularFile(SIP_CALL);
        if (sip) {
            inputs.add(SIP_CALL.toString());
        }
        Path flows = dir.resolve("flows.jsonl");
        Path calls = dir.resolve("calls.jsonl");
        Path audit = dir.resolve("audit.log");
        FathomMetrics m = new FathomMetrics();
        AnalyzeCommand cmd = new AnalyzeCommand();
        List<String> args = new ArrayList<>(inputs);
        args.addAll(List.of("--flows", flows.toString(), "--calls", calls.toString(), "--audit-log", audit.toString(), "-w", "2"));
        HttpServer server = serve(m);
        try {
            AnalyzeCommandTest.Run r = run(m, cmd, cmd.run, args.toArray(String[]::new));
            assertThat(r.status()).as(r.err()).isZero();
            String text = scrape(server);
            Files.writeString(Path.of("target", "metrics-example.txt"), text);   // for a reader of the build
            List<Sample> s = parse(text);

            long frames = 0;
            long bytes = 0;
            for (String in : inputs) {
                long[] fb = framesAndBytes(Path.of(in));
                frames += fb[0];
                bytes += fb[1];
            }
            assertThat(summaryNumber(r.out(), "Packets +([\\d,]+)")).isEqualTo(frames);
            assertThat(value(s, "fathom_packets_total")).isEqualTo(frames);
            assertThat(value(s, "fathom_bytes_total")).isEqualTo(bytes);

            List<Map<String, Object>> records = JsonLines.flows(Files.readString(flows));
            long summaryFlows = summaryNumber(r.out(), "Flows +([\\d,]+)");
            assertThat(records).hasSize((int) summaryFlows);
            assertThat(value(s, "fathom_flows_ended_total")).isEqualTo(summaryFlows);
            assertThat(value(s, "fathom_flows_started_total")).isEqualTo(summaryFlows);
            assertThat(value(s, "fathom_flows_active")).isZero();
            assertThat(value(s, "fathom_flows_evicted_total")).isZero();
            Map<String, Long> endReasons = new TreeMap<>();
            Map<String, long[]> traffic = new TreeMap<>();
            for (Map<String, Object> f : records) {
                endReasons.merge((String) f.get("end_reason"), 1L, Long::sum);
                long[] t = traffic.computeIfAbsent(f.get("application") + "|" + f.get("category"), k -> new long[3]);
                t[0] += ((Number) f.get("packets_c2s")).longValue() + ((Number) f.get("packets_s2c")).longValue();
                t[1] += ((Number) f.get("bytes_c2s")).longValue() + ((Number) f.get("bytes_s2c")).longValue();
                t[2]++;
            }
            endReasons.forEach((reason, n) -> assertThat(value(s, "fathom_flows_ended_total", "reason", reason))
                    .as("flows ended by %s", reason).isEqualTo(n.doubleValue()));
            traffic.forEach((key, t) -> {
                String[] ac = key.split("\\|");
                assertThat(value(s, "fathom_traffic_packets_total", "application", ac[0], "category", ac[1])).as(key).isEqualTo(t[0]);
                assertThat(value(s, "fathom_traffic_bytes_total", "application", ac[0], "category", ac[1])).as(key).isEqualTo(t[1]);
                assertThat(value(s, "fathom_traffic_flows_total", "application", ac[0], "category", ac[1])).as(key).isEqualTo(t[2]);
            });
            assertThat(value(s, "fathom_traffic_flows_total")).isEqualTo(summaryFlows);

            // privacy: what the guard let out, and the audit log's length
            assertThat(value(s, "fathom_privacy_flow_records_released_total")).isEqualTo(summaryFlows);
            assertThat(value(s, "fathom_audit_log_entries")).as(Files.readString(audit)).isEqualTo(Files.readAllLines(audit).size());
            List<Map<String, Object>> callRecords = JsonLines.parse(Files.readString(calls)).stream()
                    .filter(c -> "call".equals(c.get("type"))).toList();
            // the outputs: every released record (header, flows, calls, alerts) through each queue, none dropped
            assertThat(value(s, "fathom_output_queue_records_total", "output", flows.toString()))
                    .isEqualTo(1 + summaryFlows + callRecords.size() + summaryNumber(r.out(), "Alerts +([\\d,]+)"));
            assertThat(value(s, "fathom_output_dropped_records_total")).isZero();
            assertThat(value(s, "fathom_call_attempts_total")).isEqualTo(callRecords.size());
            if (sip) {
                assertThat(callRecords).isNotEmpty();
                assertThat(value(s, "fathom_call_attempts_total")).isEqualTo(summaryNumber(r.out(), "Calls +([\\d,]+) attempts"));
                assertThat(value(s, "fathom_calls_answered_total")).isEqualTo(summaryNumber(r.out(), "attempts, ([\\d,]+) answered"));
                for (String outcome : org.fathom.voip.CallStats.OUTCOMES) {
                    long n = callRecords.stream().filter(c -> outcome.equals(c.get("outcome"))).count();
                    assertThat(value(s, "fathom_calls_total", "outcome", outcome)).as(outcome).isEqualTo(n);
                }
                long withPdd = callRecords.stream().filter(c -> c.get("pdd_ms") != null).count();
                assertThat(value(s, "fathom_call_post_dial_delay_seconds_count")).isEqualTo(withPdd);
                long streams = callRecords.stream().mapToLong(c -> ((List<?>) c.get("media")).size()).sum();
                assertThat(value(s, "fathom_call_mos_count")).isEqualTo(streams);
                assertThat(value(s, "fathom_call_mos_bucket", "le", "+Inf")).isEqualTo(streams);
                assertThat(value(s, "fathom_privacy_call_records_released_total")).isEqualTo(callRecords.size());
                String asr = String.format("ASR %.1f%%", 100 * value(s, "fathom_call_asr_ratio"));
                assertThat(r.out()).contains(asr);
            }

            // alerts: raised as the summary lists them, none open after the run
            long alerts = summaryNumber(r.out(), "Alerts +([\\d,]+)");
            assertThat(alerts).isPositive();
            assertThat(value(s, "fathom_alerts_raised_total")).isEqualTo(alerts);
            assertThat(value(s, "fathom_alerts_raised_total", "kind", "udp_flood")).isPositive();
            assertThat(value(s, "fathom_alerts_active")).isZero();
            assertThat(value(s, "fathom_privacy_alerts_released_total")).isEqualTo(alerts);

            // aggregates only: no label value is an address
            for (Sample x : s) {
                for (String v : x.labels().values()) {
                    assertThat(ADDRESS.matcher(v).matches()).as("label value %s of %s", v, x.name()).isFalse();
                }
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void liveReplayIsScrapedWhileItRunsAndEndsEqualToTheSummary() throws Exception {
        assumeParser();
        // three TCP conversations a second apart: the replay takes about 2 s
        TinyPcap pcap = new TinyPcap(1_780_000_000L);
        for (int i = 0; i < 3; i++) {
            pcap.tcp("10.1.0.5", 40000 + i, "10.2.0.9", 80, "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
            pcap.advanceMicros(1_000_000);
        }
        Path capture = dir.resolve("three.pcap");
        pcap.write(capture);
        long[] fb = framesAndBytes(capture);
        FathomMetrics m = new FathomMetrics();
        LiveCommand cmd = new LiveCommand();
        HttpServer server = serve(m);
        AtomicReference<AnalyzeCommandTest.Run> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                result.set(run(m, cmd, cmd.run, "-r", capture.toString(), "--replay", "--flows", dir.resolve("f.jsonl").toString(),
                        "--audit-log", dir.resolve("audit.log").toString(), "-w", "2"));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            // while it runs: some packets counted, not all
            double seen = 0;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && t.isAlive()) {
                seen = value(parse(scrape(server)), "fathom_packets_total");
                if (seen > 0) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(t.isAlive()).as("the replay was still running when scraped").isTrue();
            assertThat(seen).isGreaterThan(0).isLessThan(fb[0]);
            t.join(30_000);
            assertThat(failure.get()).isNull();
            AnalyzeCommandTest.Run r = result.get();
            assertThat(r.status()).as(r.err()).isZero();
            List<Sample> s = parse(scrape(server));
            assertThat(summaryNumber(r.out(), "Replayed +([\\d,]+) packets")).isEqualTo(fb[0]);
            assertThat(value(s, "fathom_packets_total")).isEqualTo(fb[0]);
            assertThat(value(s, "fathom_bytes_total")).isEqualTo(fb[1]);
            assertThat(value(s, "fathom_flows_ended_total")).isEqualTo(summaryNumber(r.out(), "Flows +([\\d,]+)")).isEqualTo(3);
            assertThat(value(s, "fathom_traffic_flows_total", "application", "HTTP")).isEqualTo(3);
            assertThat(has(s, "fathom_capture_dropped_packets_total")).as("no interfaces in a replay").isFalse();
        } finally {
            t.join(30_000);
            server.stop(0);
        }
    }

    @Test
    void liveHttpServesMetricsBesideTheDashboard() throws Exception {
        assumeParser();
        TinyPcap pcap = new TinyPcap(System.currentTimeMillis() / 1000);
        for (int i = 0; i < 4; i++) {
            pcap.tcp("10.1.0.5", 41000 + i, "10.2.0.9", 80, "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
            pcap.advanceMicros(1_000_000);
        }
        Path capture = dir.resolve("web.pcap");
        pcap.write(capture);
        long[] fb = framesAndBytes(capture);
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AtomicReference<AnalyzeCommandTest.Run> result = new AtomicReference<>();
        Thread live = Thread.ofPlatform().start(() -> result.set(AnalyzeCommandTest.fathom("live", "-q", "-r", capture.toString(),
                "--replay", "-w", "2", "--http", "127.0.0.1:" + port, "--audit-log", dir.resolve("audit.log").toString())));
        double seen = 0;
        try (HttpClient c = HttpClient.newHttpClient()) {
            long until = System.nanoTime() + 30_000_000_000L;
            while (live.isAlive() && System.nanoTime() < until && seen == 0) {
                try {
                    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
                        seen = value(parse(r.body()), "fathom_packets_total");
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        live.join(60_000);
        assertThat(result.get().status()).as(result.get().err()).isZero();
        assertThat(seen).as("/metrics of the running live process counted packets").isGreaterThan(0).isLessThanOrEqualTo(fb[0]);
    }
}
