package org.fathom.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fathom.cli.Main;
import org.fathom.output.kafka.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network-wide job on Flink's MiniCluster (2 slots) against a real broker: two probes
 * ({@code fathom analyze --kafka --probe-id}) publish the records of corpus captures and of the
 * sipp call capture; the job's traffic rows, call KPIs and incidents must equal a direct
 * computation over the same records (the probes' JSON files), done here in plain Java. Late and
 * malformed records go to the unprocessed topic.
 */
class NetworkViewJobTest {
    static final Path CORPUS = Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap"))
            ? Path.of("../../shared/corpus/ndpi/pcap") : Path.of("../../../shared/corpus/ndpi/pcap");
    static final Path SIPP = Path.of("../fathom-core/src/test/resources/captures/voip/sipp-calls.pcap.gz");
    static final Path SAMPLE = Path.of("../samples/http-loopback.pcap");
    static final int K = 2;
    static final long MINUTE = 60_000;

    static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    List<String> captures(String... corpus) throws IOException {
        List<String> out = new ArrayList<>();
        Path sipp = dir.resolve("sipp-calls.pcap");
        if (!Files.exists(sipp)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(SIPP)); OutputStream o = Files.newOutputStream(sipp)) {
                in.transferTo(o);
            }
        }
        out.add(sipp.toString());
        out.add(SAMPLE.toString());
        for (String c : corpus) {
            if (Files.isRegularFile(CORPUS.resolve(c))) {
                out.add(CORPUS.resolve(c).toString());
            }
        }
        return out;
    }

    /** Runs a probe: its records to Kafka and to JSON files; returns every record with its probe id. */
    List<Map<String, Object>> probe(String prefix, String probeId, List<String> captures) throws IOException {
        Path flows = dir.resolve(probeId + "-flows.jsonl"), calls = dir.resolve(probeId + "-calls.jsonl"),
                alerts = dir.resolve(probeId + "-alerts.jsonl");
        List<String> args = new ArrayList<>(List.of("analyze", "--kafka", broker.bootstrap(), "--kafka-topic-prefix", prefix,
                "--probe-id", probeId, "--on-full", "block", "--flows", flows.toString(), "--calls", calls.toString(),
                "--alerts", alerts.toString()));
        args.addAll(captures);
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream summary = new java.io.ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new java.io.PrintStream(summary, true, StandardCharsets.UTF_8));
            status = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        String kafkaLine = summary.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("Kafka ")).findFirst().orElse("");
        System.out.println(probeId + ": " + kafkaLine);
        assertThat(status).isIn(0, 1);
        assertThat(kafkaLine).contains(" acknowledged");
        List<Map<String, Object>> records = new ArrayList<>();
        for (Path f : List.of(flows, calls, alerts)) {
            for (String line : Files.readAllLines(f)) {
                Map<String, Object> m = new LinkedHashMap<>(Records.object(line));
                if (!"privacy".equals(m.get("type"))) {
                    m.put("probe_id", probeId);
                    records.add(m);
                }
            }
        }
        return records;
    }

    static List<Map<String, Object>> read(String topic, int expected) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : broker.consume(topic, expected, Duration.ofSeconds(expected == 0 ? 2 : 20))) {
            out.add(Records.object(r.value()));
        }
        return out;
    }

    @Test
    void twoProbesGiveTheDirectlyComputedTrafficCallKpisAndIncidents() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        records.addAll(probe("n1.", "probe-1", captures("1kxun.pcap", "synscan.pcap", "FAX-Call-t38-CA-TDM-SIP-FB-1.pcap")));
        records.addAll(probe("n1.", "probe-2", captures("443-chrome.pcap", "synscan.pcap", "6in6tunnel.pcap", "4in4tunnel.pcap")));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
        // nothing late here: the captures are years apart, in any order in the topics
        NetworkViewJob.Config config = NetworkViewJob.Config.defaults(broker.bootstrap()).withPrefixes("n1.", "n1.network.")
                .withK(K).withBounded(true).withOutOfOrderness(Duration.ofDays(365L * 30));
        NetworkViewJob.build(env, config);
        long t0 = System.nanoTime();
        env.execute("network view test");
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("Flink network view: %,d records of 2 probes in %.2f s on MiniCluster (2 slots): %,.0f records/s%n",
                records.size(), seconds, records.size() / seconds);

        // the direct computation is over the records the job read: those in the input topics (the
        // same as the files', KafkaExportTest checks that; a record the broker did not acknowledge
        // would be counted in the probe's summary and missing from both)
        List<Map<String, Object>> read = new ArrayList<>();
        for (String kind : List.of("flow", "call", "alert")) {
            int n = (int) records.stream().filter(r -> r.get("type").equals(kind)).count();
            read.addAll(read("n1." + kind + "s", n));
        }
        assertThat(read).hasSizeGreaterThan(records.size() * 99 / 100);
        Expected expected = compute(read, K);
        List<Map<String, Object>> traffic = read("n1.network.traffic", expected.traffic.size());
        List<Map<String, Object>> calls = read("n1.network.calls", expected.calls.size());
        List<Map<String, Object>> incidents = read("n1.network.incidents", expected.incidents.size());
        List<Map<String, Object>> unprocessed = read("n1.network.unprocessed", 0);

        assertThat(unprocessed).as("late or malformed records").isEmpty();
        assertThat(expected.traffic.stream().filter(r -> r.get("probe_id").equals("*"))).isNotEmpty();
        assertThat(expected.traffic.stream().filter(r -> r.get("probe_id").equals("probe-1"))).isNotEmpty();
        assertThat(expected.calls.stream().filter(r -> r.get("probe_id").equals("*"))).isNotEmpty();
        assertThat(traffic).containsExactlyInAnyOrderElementsOf(expected.traffic);
        assertThat(calls).containsExactlyInAnyOrderElementsOf(expected.calls);
        assertThat(incidents).containsExactlyInAnyOrderElementsOf(expected.incidents);
        if (Files.isRegularFile(CORPUS.resolve("synscan.pcap"))) {
            // the same scan seen by both probes: one incident naming both
            assertThat(incidents).anyMatch(i -> i.get("probes").equals(List.of("probe-1", "probe-2")));
        }
        // suppression at work: some groups of one client are not published
        long groups = read.stream().filter(r -> r.get("type").equals("flow"))
                .map(r -> r.get("probe_id") + "|" + minute(r, "last_seen") + "|" + r.get("application") + "|" + r.get("category"))
                .distinct().count();
        assertThat(traffic.stream().filter(r -> !r.get("application").equals("*")).count()).isLessThan(groups);
    }

    /** Late records (behind the watermark) and malformed ones are published to the unprocessed topic, not lost. */
    @Test
    void lateAndMalformedRecordsGoToTheUnprocessedTopic() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrap());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        List<String> values = List.of(flow("10:00:05", "c1"), flow("10:00:06", "c2"), flow("10:05:00", "c1"),
                flow("10:00:30", "c3"), "not json", flow("10:05:01", "c2"));
        // one partition and one source task: the watermark is that of this sequence of records alone
        broker.createTopics(1, "l1.flows");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String v : values) {
                producer.send(new ProducerRecord<>("l1.flows", "probe-x", v)).get();
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        NetworkViewJob.build(env, NetworkViewJob.Config.defaults(broker.bootstrap()).withPrefixes("l1.", "l1.network.")
                .withK(K).withBounded(true).withOutOfOrderness(Duration.ofSeconds(30)).withWatermarkPerRecord(true));
        env.execute("late data test");
        List<Map<String, Object>> unprocessed = read("l1.network.unprocessed", 2);
        assertThat(unprocessed).extracting(m -> m.get("reason")).containsExactlyInAnyOrder("late", "malformed");
        assertThat(unprocessed).anyMatch(m -> m.get("reason").equals("late") && ((String) m.get("record")).contains("10:00:30"));
        List<Map<String, Object>> traffic = read("l1.network.traffic", 4);
        // 10:00 window: c1 and c2 (2 clients, k = 2): published; the late c3 is not in it
        assertThat(traffic).anyMatch(r -> r.get("window_start").equals("2026-12-06T10:00:00Z") && r.get("probe_id").equals("*")
                && r.get("application").equals("DNS") && r.get("clients").equals(2L) && r.get("flows").equals(2L));
    }

    static String flow(String time, String client) {
        return "{\"type\":\"flow\",\"probe_id\":\"probe-x\",\"l4\":\"UDP\",\"src_ip\":\"" + client + "\",\"src_port\":1,\"dst_ip\":\"d\","
                + "\"dst_port\":53,\"protocol\":\"DNS\",\"application\":\"DNS\",\"category\":\"Network\",\"confidence\":\"DPI\","
                + "\"packets_c2s\":1,\"packets_s2c\":1,\"bytes_c2s\":60,\"bytes_s2c\":90,\"first_seen\":\"2026-12-06T" + time + "Z\","
                + "\"last_seen\":\"2026-12-06T" + time + "Z\",\"end_reason\":\"idle\"}";
    }

    // ---- the direct computation: plain Java over the probes' records ----

    record Expected(List<Map<String, Object>> traffic, List<Map<String, Object>> calls, List<Map<String, Object>> incidents) {}

    static long millis(Map<String, Object> r, String field) {
        return Instant.parse((String) r.get(field)).toEpochMilli();
    }

    static long minute(Map<String, Object> r, String field) {
        return Math.floorDiv(millis(r, field), MINUTE) * MINUTE;
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    static long n(Map<String, Object> r, String field) {
        return ((Number) r.get(field)).longValue();
    }

    static Expected compute(List<Map<String, Object>> records, int k) {
        // traffic: (group, minute) -> (application, category) -> [flows, packets, c2s, s2c] and clients
        Map<String, TreeMap<String, long[]>> counters = new TreeMap<>();
        Map<String, Map<String, Set<String>>> clients = new HashMap<>();
        Map<String, List<Map<String, Object>>> callsOf = new TreeMap<>();
        Map<String, List<Map<String, Object>>> alertsOf = new TreeMap<>();
        for (Map<String, Object> r : records) {
            String probe = (String) r.get("probe_id");
            switch ((String) r.get("type")) {
                case "flow" -> {
                    long m = minute(r, "last_seen");
                    for (String g : List.of(probe, "*")) {
                        String ac = r.get("application") + "\u0000" + r.get("category");
                        long[] c = counters.computeIfAbsent(g + "\u0001" + m, x -> new TreeMap<>()).computeIfAbsent(ac, x -> new long[4]);
                        c[0] += "active".equals(r.get("end_reason")) ? 0 : 1;
                        c[1] += n(r, "packets_c2s") + n(r, "packets_s2c");
                        c[2] += n(r, "bytes_c2s");
                        c[3] += n(r, "bytes_s2c");
                        clients.computeIfAbsent(g + "\u0001" + m, x -> new HashMap<>()).computeIfAbsent(ac, x -> new HashSet<>())
                                .add((String) r.get("src_ip"));
                    }
                }
                case "call" -> {
                    long m = minute(r, "end");
                    for (String g : List.of(probe, "*")) {
                        callsOf.computeIfAbsent(g + "\u0001" + m, x -> new ArrayList<>()).add(r);
                    }
                }
                case "alert" -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> t = (Map<String, Object>) r.get("target");
                    alertsOf.computeIfAbsent(t.get("ip") + "|" + t.getOrDefault("port", 0L) + "\u0001" + minute(r, "end"),
                            x -> new ArrayList<>()).add(r);
                }
                default -> throw new AssertionError(r);
            }
        }
        List<Map<String, Object>> traffic = new ArrayList<>();
        for (Map.Entry<String, TreeMap<String, long[]>> w : counters.entrySet()) {
            String[] gm = w.getKey().split("\u0001");
            long start = Long.parseLong(gm[1]);
            long[] rest = new long[4], total = new long[4];
            Set<String> restClients = new HashSet<>(), totalClients = new HashSet<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map.Entry<String, long[]> g : w.getValue().entrySet()) {
                Set<String> cl = clients.get(w.getKey()).get(g.getKey());
                String[] ac = g.getKey().split("\u0000");
                if (cl.size() >= k) {
                    rows.add(trafficRow(gm[0], start, ac[0], ac[1], cl.size(), g.getValue()));
                    add(total, g.getValue());
                    totalClients.addAll(cl);
                } else {
                    add(rest, g.getValue());
                    restClients.addAll(cl);
                }
            }
            if (restClients.size() >= k) {
                rows.add(trafficRow(gm[0], start, "(suppressed)", "(suppressed)", restClients.size(), rest));
                add(total, rest);
                totalClients.addAll(restClients);
            }
            if (!rows.isEmpty()) {
                rows.add(trafficRow(gm[0], start, "*", "*", totalClients.size(), total));
            }
            traffic.addAll(rows);
        }
        List<Map<String, Object>> calls = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> w : callsOf.entrySet()) {
            String[] gm = w.getKey().split("\u0001");
            Map<String, Object> row = callRow(gm[0], Long.parseLong(gm[1]), w.getValue(), k);
            if (row != null) {
                calls.add(row);
            }
        }
        List<Map<String, Object>> incidents = new ArrayList<>();
        for (Map.Entry<String, List<Map<String, Object>>> w : alertsOf.entrySet()) {
            incidents.add(incident(Long.parseLong(w.getKey().split("\u0001")[1]), w.getValue(), k));
        }
        return new Expected(traffic, calls, incidents);
    }

    static void add(long[] to, long[] v) {
        for (int i = 0; i < 4; i++) {
            to[i] += v[i];
        }
    }

    static Map<String, Object> trafficRow(String group, long start, String app, String cat, long clients, long[] c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "traffic");
        m.put("window_start", iso(start));
        m.put("window_end", iso(start + MINUTE));
        m.put("probe_id", group);
        m.put("application", app);
        m.put("category", cat);
        m.put("clients", clients);
        m.put("flows", c[0]);
        m.put("packets", c[1]);
        m.put("bytes_c2s", c[2]);
        m.put("bytes_s2c", c[3]);
        return m;
    }

    static Object nearestRank(List<? extends Number> values, double p, boolean asLong) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().map(Number::doubleValue).sorted().toList();
        double v = sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
        return asLong ? (Object) (long) v : (Object) v;
    }

    static Map<String, Object> callRow(String group, long start, List<Map<String, Object>> calls, int k) {
        Set<String> callers = new HashSet<>();
        Map<String, Long> outcomes = new TreeMap<>();
        long answered = 0, emergency = 0;
        List<Long> pdd = new ArrayList<>();
        List<Double> mos = new ArrayList<>();
        for (Map<String, Object> c : calls) {
            callers.add(c.get("caller") != null ? (String) c.get("caller") : (String) c.get("call_id"));
            outcomes.merge((String) c.get("outcome"), 1L, Long::sum);
            answered += c.get("answer") != null ? 1 : 0;
            emergency += Boolean.TRUE.equals(c.get("emergency")) ? 1 : 0;
            if (c.get("pdd_ms") != null) {
                pdd.add(n(c, "pdd_ms"));
            }
            for (Object o : (List<?>) c.get("media")) {
                Map<?, ?> s = (Map<?, ?>) o;
                if (((Number) s.get("packets")).longValue() > 0) {
                    mos.add(((Number) s.get("mos")).doubleValue());
                }
            }
        }
        if (callers.size() < k) {
            return null;
        }
        long attempts = calls.size();
        long decided = attempts - outcomes.getOrDefault("in_progress", 0L);
        long reached = answered + outcomes.getOrDefault("busy", 0L) + outcomes.getOrDefault("no_answer", 0L)
                + outcomes.getOrDefault("cancelled", 0L) + outcomes.getOrDefault("redirected", 0L);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "call_kpi");
        m.put("window_start", iso(start));
        m.put("window_end", iso(start + MINUTE));
        m.put("probe_id", group);
        m.put("callers", (long) callers.size());
        m.put("attempts", attempts);
        m.put("decided", decided);
        m.put("answered", answered);
        m.put("asr", decided == 0 ? null : Math.round(answered * 10_000.0 / decided) / 10_000.0);
        m.put("ner", decided == 0 ? null : Math.round(reached * 10_000.0 / decided) / 10_000.0);
        m.put("blocked", outcomes.getOrDefault("rejected", 0L) + outcomes.getOrDefault("failed", 0L));
        m.put("dropped", outcomes.getOrDefault("dropped", 0L));
        m.put("emergency", emergency);
        m.put("outcomes", new LinkedHashMap<>(outcomes));
        m.put("pdd_p50_ms", nearestRank(pdd, 50, true));
        m.put("pdd_p95_ms", nearestRank(pdd, 95, true));
        m.put("mos_streams", (long) mos.size());
        m.put("mos_p5", nearestRank(mos, 5, false));
        m.put("mos_p50", nearestRank(mos, 50, false));
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> incident(long start, List<Map<String, Object>> alerts, int k) {
        Map<String, Object> target = new LinkedHashMap<>((Map<String, Object>) alerts.getFirst().get("target"));
        Set<String> kinds = new TreeSet<>(), probes = new TreeSet<>(), sources = new TreeSet<>();
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE, packets = 0, bytes = 0, sourceCount = 0;
        double pps = 0, bps = 0;
        for (Map<String, Object> a : alerts) {
            kinds.add((String) a.get("kind"));
            probes.add((String) a.get("probe_id"));
            first = Math.min(first, millis(a, "start"));
            last = Math.max(last, millis(a, "end"));
            packets += n(a, "packets");
            bytes += n(a, "bytes");
            pps = Math.max(pps, ((Number) a.get("peak_pps")).doubleValue());
            bps = Math.max(bps, ((Number) a.get("peak_bps")).doubleValue());
            sourceCount = Math.max(sourceCount, n(a, "source_count"));
            for (Object s : (List<?>) a.get("top_sources")) {
                sources.add((String) s);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "incident");
        m.put("window_start", iso(start));
        m.put("window_end", iso(start + MINUTE));
        m.put("target", target);
        m.put("kinds", List.copyOf(kinds));
        m.put("probes", List.copyOf(probes));
        m.put("probe_count", (long) probes.size());
        m.put("alerts", (long) alerts.size());
        m.put("start", iso(first));
        m.put("end", iso(last));
        m.put("packets", packets);
        m.put("bytes", bytes);
        m.put("peak_pps", pps);
        m.put("peak_bps", bps);
        long count = Math.max(sourceCount, sources.size());
        m.put("source_count", count);
        if (count >= k) {
            m.put("top_sources", sources.stream().limit(10).toList());
        } else {
            m.put("sources_suppressed", true);
        }
        return m;
    }
}
