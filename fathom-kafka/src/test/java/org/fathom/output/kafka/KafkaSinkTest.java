package org.fathom.output.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fathom.output.JsonLinesFlowSink;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka sink against a real broker (KRaft, in a child JVM): values are the JSON-lines records
 * with the probe id, keys keep a flow in one partition, and when the broker is killed and comes
 * back nothing is lost (with back-pressure) or every loss is counted exactly (with drops).
 */
class KafkaSinkTest {
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

    PrivacyGuard guard(FlowSink sink) throws IOException {
        PrivacyPolicy p = PrivacyPolicy.defaults().withSubscribers(SubscriberNetworks.parse("none"))
                .withAuditLog(dir.resolve("audit.log")).withKeyFile(dir.resolve("key"));
        return new PrivacyGuard(p, AuditLog.open(p.auditLog()), List.of(sink));
    }

    static final long T0 = 1_700_000_000_000_000_000L;

    /** Flow {@code i}: 10.0.(i/250).(i%250) port 1024+i to 198.51.100.2:53; {@code part} tells interim records apart. */
    static FlowRecord flow(int i, String endReason) {
        long client = 0x0000_FFFF_0A00_0000L | ((i / 250) << 8) | (i % 250);
        return new FlowRecord("UDP", 0, client, 1024 + (i % 50_000), 0, 0x0000_FFFF_C633_6402L, 53, 0, null,
                "DNS", "DNS", "Network", "DPI", 1, 1, 80, 120, T0 + i, T0 + i + 1000, 0, 0,
                endReason, Map.of("dns.query", "example.org"), List.of());
    }

    static List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    KafkaSink open(String prefix, boolean block, Properties extra) throws IOException {
        return KafkaSink.open(broker.bootstrap(), extra, prefix, "probe-a", block, warnings::add);
    }

    @Test
    void valuesAreTheJsonLinesRecordsWithTheProbeIdAndAFlowKeepsItsKey() throws Exception {
        KafkaSink sink = open("t1.", true, null);
        // the same records written by the JSON-lines sink, for comparison
        ByteArrayOutputStream jsonLines = new ByteArrayOutputStream();
        JsonLinesFlowSink file = new JsonLinesFlowSink(jsonLines, true);
        try (PrivacyGuard g = new PrivacyGuard(PrivacyPolicy.defaults().withSubscribers(SubscriberNetworks.parse("none"))
                .withAuditLog(dir.resolve("audit.log")).withKeyFile(dir.resolve("key")),
                AuditLog.open(dir.resolve("audit.log")), List.of(sink, file))) {
            for (int i = 0; i < 200; i++) {
                g.emit(flow(i, "active"));
                g.emit(flow(i, "idle"));
            }
        }
        assertThat(sink.stats()).isEqualTo(new KafkaSink.Stats(401, 401, 0, 0, 0));
        List<ConsumerRecord<String, String>> flows = broker.consume("t1.flows", 400, Duration.ofSeconds(20));
        List<ConsumerRecord<String, String>> header = broker.consume("t1.privacy", 1, Duration.ofSeconds(10));
        assertThat(header).hasSize(1);
        assertThat(header.getFirst().value()).startsWith("{\"type\":\"privacy\",\"probe_id\":\"probe-a\",\"mode\":");
        assertThat(header.getFirst().key()).isEqualTo("probe-a");

        List<String> lines = jsonLines.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"type\":\"flow\"")).toList();
        List<String> expected = new ArrayList<>();
        for (String l : lines) {
            expected.add(l.replace("{\"type\":\"flow\",", "{\"type\":\"flow\",\"probe_id\":\"probe-a\","));
        }
        assertThat(flows).hasSize(400);
        assertThat(flows.stream().map(ConsumerRecord::value).toList()).containsExactlyInAnyOrderElementsOf(expected);
        // the interim and the final record of a flow: same key, same partition, in order
        Map<String, List<ConsumerRecord<String, String>>> byKey = new java.util.HashMap<>();
        for (ConsumerRecord<String, String> r : flows) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        }
        assertThat(byKey).hasSize(200);
        Set<Integer> partitions = new HashSet<>();
        for (List<ConsumerRecord<String, String>> same : byKey.values()) {
            assertThat(same).hasSize(2);
            assertThat(same.get(0).partition()).isEqualTo(same.get(1).partition());
            assertThat(same.get(0).value()).contains("\"end_reason\":\"active\"");
            assertThat(same.get(1).value()).contains("\"end_reason\":\"idle\"");
            assertThat(same.get(0).key()).startsWith("probe-a|UDP|10.0.");
            partitions.add(same.get(0).partition());
        }
        assertThat(partitions).as("keys spread over the topic's partitions").hasSizeGreaterThan(1);
    }

    /**
     * Broker killed (SIGKILL) while two exports send records, then started again (one restart for
     * both, to keep the test short):
     * <ul>
     *   <li>with back-pressure, the producer's buffer (small here) fills, {@code accept} waits, and
     *       when the broker is back every record is acknowledged and read exactly once (idempotent
     *       producer: no duplicates from the retries);</li>
     *   <li>with drops, records that find the buffer full past max.block.ms are dropped and counted;
     *       the buffered ones arrive after the restart or, past the delivery timeout, count as failed:
     *       sent + dropped is what was offered, each record's fate is counted, and what
     *       is read is exactly what was acknowledged.</li>
     * </ul>
     */
    @Test
    void brokerKilledMidRunBackPressureLosesNothingAndDropsAreCountedExactly() throws Exception {
        Properties small = new Properties();
        small.put("buffer.memory", "65536");
        small.put("batch.size", "16384");
        small.put("max.block.ms", "500");
        KafkaSink waiting = open("t2.", true, small);
        Properties tiny = new Properties();
        tiny.put("buffer.memory", "32768");
        tiny.put("batch.size", "8192");
        tiny.put("max.block.ms", "20");
        KafkaSink dropping = open("t3.", false, tiny);
        int n = 3000, m = 300;
        Thread restarter;
        try (PrivacyGuard g = guard(waiting); PrivacyGuard d = guard(dropping)) {
            for (int i = 0; i < n / 3; i++) {
                g.emit(flow(i, "idle"));
            }
            d.emit(flow(0, "idle"));
            broker.kill();
            for (int i = 1; i < m; i++) {
                d.emit(flow(i, "idle"));
            }
            restarter = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(1000);
                    broker.restart();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            for (int i = n / 3; i < n; i++) {
                g.emit(flow(i, "idle"));
            }
        }
        restarter.join();

        KafkaSink.Stats st = waiting.stats();
        assertThat(st.blockedMillis()).as("the sink waited for the broker").isPositive();
        assertThat(st).isEqualTo(new KafkaSink.Stats(n + 1, n + 1, 0, 0, st.blockedMillis()));
        List<ConsumerRecord<String, String>> flows = broker.consume("t2.flows", n, Duration.ofSeconds(30));
        assertThat(flows).hasSize(n);
        assertThat(flows.stream().map(ConsumerRecord::key).distinct().count()).isEqualTo(n);

        KafkaSink.Stats dt = dropping.stats();
        assertThat(dt.dropped()).as("the buffer overflowed while the broker was down").isPositive();
        assertThat(dt.sent() + dt.dropped()).isEqualTo(m + 1);
        assertThat(dt.pending()).isZero();
        // how many of the buffered records outlive the outage depends on how fast the broker comes
        // back; what must hold is that each record's fate is known and counted exactly
        assertThat(dt.acknowledged()).as("the header and the first flow, sent before the kill").isGreaterThanOrEqualTo(2);
        assertThat(dt.acknowledged() + dt.failed() + dt.dropped()).as("every record acknowledged, failed or dropped").isEqualTo(m + 1);
        assertThat(warnings).anyMatch(w -> w.contains("dropped and counted"));
        List<ConsumerRecord<String, String>> kept = broker.consume("t3.flows", (int) dt.acknowledged() - 1, Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> header = broker.consume("t3.privacy", 1, Duration.ofSeconds(5));
        assertThat(kept.size() + header.size()).isEqualTo(dt.acknowledged());
        assertThat(kept.stream().map(ConsumerRecord::key).distinct().count()).isEqualTo(kept.size());
        System.out.println("broker killed: back-pressure " + st + "; drops " + dt);
    }

    @Test
    void noBrokerOrABadAddressIsOneLine() {
        Properties quick = new Properties();
        quick.put("max.block.ms", "3500");
        assertThatThrownBy(() -> KafkaSink.open("127.0.0.1:1", quick, "x.", "p", true, warnings::add))
                .isInstanceOf(IOException.class).hasMessage("no broker answered within 3.5 s");
        assertThatThrownBy(() -> KafkaSink.open("nohostnoport", quick, "x.", "p", true, warnings::add))
                .isInstanceOf(IOException.class).hasMessageContaining("nohostnoport").hasMessageNotContaining("\n");
    }
}
