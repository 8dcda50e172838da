package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fathom.output.kafka.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom analyze --kafka} against a real broker (Kafka 4, KRaft, on loopback): the topics
 * hold the same records per kind as the JSON files of the same run, each with the probe id, keyed
 * by flow, call and attack target; aggregate mode publishes its rows; a broker that does not answer
 * is one line and status 2.
 */
class KafkaExportTest {
    static final Path CORPUS = IpfixInteropTest.CORPUS;
    /** Flows of many protocols, IPv6 and tunnels, SIP calls, a SYN scan (alerts). */
    static final List<String> CAPTURES = List.of("1kxun.pcap", "443-chrome.pcap", "6in6tunnel.pcap", "4in4tunnel.pcap",
            "FAX-Call-t38-CA-TDM-SIP-FB-1.pcap", "h323.pcap", "synscan.pcap");

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

    static List<String> captures() {
        List<String> out = new ArrayList<>();
        out.add(IpfixInteropTest.SAMPLE.toString());
        for (String c : CAPTURES) {
            if (Files.isRegularFile(CORPUS.resolve(c))) {
                out.add(CORPUS.resolve(c).toString());
            }
        }
        return out;
    }

    /** The record without its probe id: what the JSON file holds. */
    static Map<String, Object> withoutProbe(Map<String, Object> m, String probe) {
        assertThat(m.get("probe_id")).isEqualTo(probe);
        Map<String, Object> copy = new LinkedHashMap<>(m);
        copy.remove("probe_id");
        return copy;
    }

    static List<Map<String, Object>> values(List<ConsumerRecord<String, String>> records) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            out.addAll(JsonLines.parse(r.value() + "\n"));
        }
        return out;
    }

    static List<Map<String, Object>> ofType(Path file, String type) throws IOException {
        return JsonLines.parse(Files.readString(file)).stream().filter(m -> type.equals(m.get("type"))).toList();
    }

    @Test
    void topicsHoldTheSameRecordsAsTheJsonFilesWithProbeIdAndKeys() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "corpus not present: the Kafka export is tested on the sample only");
        Path flows = dir.resolve("flows.jsonl"), calls = dir.resolve("calls.jsonl"), alerts = dir.resolve("alerts.jsonl");
        Path events = dir.resolve("events.jsonl");
        List<String> args = new ArrayList<>(List.of("analyze", "--flows", flows.toString(), "--calls", calls.toString(),
                "--alerts", alerts.toString(), "--events", events.toString(), "--kafka", broker.bootstrap(), "--kafka-topic-prefix", "e1.",
                "--probe-id", "probe-1", "--on-full", "block", "--active-timeout", "5"));
        args.addAll(captures());
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isIn(0, 1);

        List<Map<String, Object>> fileFlows = ofType(flows, "flow");
        List<Map<String, Object>> fileCalls = ofType(calls, "call");
        List<Map<String, Object>> fileAlerts = ofType(alerts, "alert");
        assertThat(fileFlows).hasSizeGreaterThan(1000);
        assertThat(fileCalls).isNotEmpty();
        assertThat(fileAlerts).isNotEmpty();
        List<Map<String, Object>> fileEvents = ofType(events, "event");
        assertThat(fileEvents).hasSizeGreaterThan(100);
        long total = fileFlows.size() + fileCalls.size() + fileAlerts.size() + fileEvents.size() + 1;
        assertThat(r.out()).contains(String.format("Kafka      %s, topics e1.*, probe probe-1: %,d records sent, %,d acknowledged",
                broker.bootstrap(), total, total));

        List<ConsumerRecord<String, String>> kFlows = broker.consume("e1.flows", fileFlows.size(), Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> kCalls = broker.consume("e1.calls", fileCalls.size(), Duration.ofSeconds(10));
        List<ConsumerRecord<String, String>> kAlerts = broker.consume("e1.alerts", fileAlerts.size(), Duration.ofSeconds(10));
        List<ConsumerRecord<String, String>> kHeader = broker.consume("e1.privacy", 1, Duration.ofSeconds(10));
        List<ConsumerRecord<String, String>> kEvents = broker.consume("e1.events", fileEvents.size(), Duration.ofSeconds(20));

        assertThat(values(kFlows).stream().map(m -> withoutProbe(m, "probe-1")).toList()).containsExactlyInAnyOrderElementsOf(fileFlows);
        assertThat(values(kCalls).stream().map(m -> withoutProbe(m, "probe-1")).toList()).containsExactlyInAnyOrderElementsOf(fileCalls);
        assertThat(values(kAlerts).stream().map(m -> withoutProbe(m, "probe-1")).toList()).containsExactlyInAnyOrderElementsOf(fileAlerts);
        assertThat(values(kHeader).stream().map(m -> withoutProbe(m, "probe-1")).toList())
                .containsExactlyElementsOf(ofType(flows, "privacy"));
        assertThat(values(kEvents).stream().map(m -> withoutProbe(m, "probe-1")).toList()).containsExactlyInAnyOrderElementsOf(fileEvents);
        // an event has its flow's key: it lands in the same partition number of its own topic as its flow's records
        Map<String, Integer> flowPartition = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> k : kFlows) {
            flowPartition.put(k.key(), k.partition());
        }
        int matched = 0;
        for (ConsumerRecord<String, String> k : kEvents) {
            Map<String, Object> m = JsonLines.parse(k.value() + "\n").getFirst();
            assertThat(k.key()).isEqualTo(flowKey("probe-1", m));
            if (flowPartition.containsKey(k.key())) {
                matched++;
                assertThat(k.partition()).as("event of flow " + k.key()).isEqualTo(flowPartition.get(k.key()));
            }
        }
        assertThat(matched).as("events whose flow record has the same key").isGreaterThan(kEvents.size() / 2);

        // keys: all the records of a flow (interim and final; a 5-tuple used again later, too) have
        // one key, so one partition, where they are in the order the JSON file has them
        Map<String, List<Map<String, Object>>> fileByKey = new LinkedHashMap<>();
        for (Map<String, Object> m : fileFlows) {
            fileByKey.computeIfAbsent(flowKey("probe-1", m), x -> new ArrayList<>()).add(m);
        }
        Map<String, List<Map<String, Object>>> kafkaByKey = new LinkedHashMap<>();
        Map<String, Integer> partitionOfKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> k : kFlows) {
            Map<String, Object> m = withoutProbe(JsonLines.parse(k.value() + "\n").getFirst(), "probe-1");
            assertThat(k.key()).isEqualTo(flowKey("probe-1", m));
            partitionOfKey.putIfAbsent(k.key(), k.partition());
            assertThat(k.partition()).as("partition of key " + k.key()).isEqualTo(partitionOfKey.get(k.key()));
            kafkaByKey.computeIfAbsent(k.key(), x -> new ArrayList<>()).add(m);
        }
        assertThat(kafkaByKey).isEqualTo(fileByKey);
        assertThat(fileByKey.values().stream().filter(l -> l.size() > 1)).as("flows with several records").isNotEmpty();
        assertThat(kFlows.stream().filter(k -> k.value().contains("\"end_reason\":\"active\""))).isNotEmpty();
        for (ConsumerRecord<String, String> k : kCalls) {
            assertThat(k.key()).isEqualTo("probe-1|" + JsonLines.parse(k.value() + "\n").getFirst().get("call_id"));
            assertThat(k.key()).startsWith("probe-1|t-");   // the guard's token, not the SIP Call-ID
        }
        for (ConsumerRecord<String, String> k : kAlerts) {
            @SuppressWarnings("unchecked")
            Map<String, Object> target = (Map<String, Object>) JsonLines.parse(k.value() + "\n").getFirst().get("target");
            assertThat(k.key()).isEqualTo(target.get("ip") + "|" + target.getOrDefault("port", 0L));
        }
    }

    static String flowKey(String probe, Map<String, Object> m) {
        return probe + "|" + m.get("l4") + "|" + m.get("src_ip") + "|" + m.get("src_port") + "|" + m.get("dst_ip") + "|"
                + m.get("dst_port") + "|" + m.getOrDefault("vlan", 0L);
    }

    @Test
    void aggregateModePublishesItsRows() throws Exception {
        Path aggregates = dir.resolve("aggregates.jsonl");
        List<String> args = new ArrayList<>(List.of("analyze", "-q", "--privacy", "aggregate", "--k", "2",
                "--aggregates", aggregates.toString(), "--kafka", broker.bootstrap(), "--kafka-topic-prefix", "e2.",
                "--probe-id", "probe-2", "--on-full", "block"));
        args.addAll(captures());
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isIn(0, 1);
        List<Map<String, Object>> rows = ofType(aggregates, "aggregate");
        assertThat(rows).isNotEmpty();
        List<ConsumerRecord<String, String>> k = broker.consume("e2.aggregates", rows.size(), Duration.ofSeconds(20));
        assertThat(values(k).stream().map(m -> withoutProbe(m, "probe-2")).toList()).containsExactlyInAnyOrderElementsOf(rows);
        assertThat(k).allMatch(x -> x.key().startsWith("probe-2|"));
    }

    @Test
    void kafkaEventsMakesEventsForTheExportAlone() throws Exception {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", "-q", IpfixInteropTest.SAMPLE.toString(), "--kafka",
                broker.bootstrap(), "--kafka-topic-prefix", "e3.", "--probe-id", "probe-3", "--on-full", "block", "--kafka-events");
        assertThat(r.status()).as(r.err()).isIn(0, 1);
        List<ConsumerRecord<String, String>> k = broker.consume("e3.events", 1, Duration.ofSeconds(20));
        assertThat(k).isNotEmpty().allMatch(x -> x.key().startsWith("probe-3|") && x.value().contains("\"flow_id\":"));

        AnalyzeCommandTest.Run alone = AnalyzeCommandTest.fathom("analyze", IpfixInteropTest.SAMPLE.toString(), "--kafka-events");
        assertThat(alone.status()).isEqualTo(2);
        assertThat(alone.errLines()).containsExactly(
                "fathom: --probe-id, --kafka-properties, --kafka-events and --kafka-topic-prefix need --kafka BOOTSTRAP");
    }

    @Test
    void noBrokerIsOneLineAndStatus2() throws Exception {
        Path props = Files.writeString(dir.resolve("client.properties"), "max.block.ms=100\n");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", IpfixInteropTest.SAMPLE.toString(),
                "--kafka", "127.0.0.1:1", "--kafka-properties", props.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("fathom: --kafka 127.0.0.1:1: no broker answered within 3.0 s");

        AnalyzeCommandTest.Run bad = AnalyzeCommandTest.fathom("analyze", IpfixInteropTest.SAMPLE.toString(),
                "--kafka", "not an address", "--kafka-properties", props.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.errLines()).hasSize(1);
        assertThat(bad.err()).startsWith("fathom: --kafka not an address: ");

        AnalyzeCommandTest.Run id = AnalyzeCommandTest.fathom("analyze", IpfixInteropTest.SAMPLE.toString(),
                "--kafka", broker.bootstrap(), "--probe-id", "two words");
        assertThat(id.status()).isEqualTo(2);
        assertThat(id.errLines()).containsExactly("fathom: --probe-id 'two words': 1 to 64 letters, digits, '.', '_', ':' or '-'");

        AnalyzeCommandTest.Run noFile = AnalyzeCommandTest.fathom("analyze", IpfixInteropTest.SAMPLE.toString(),
                "--kafka", broker.bootstrap(), "--kafka-properties", dir.resolve("missing.properties").toString());
        assertThat(noFile.status()).isEqualTo(2);
        assertThat(noFile.errLines()).containsExactly("fathom: --kafka-properties " + dir.resolve("missing.properties") + ": no such file");
    }
}
