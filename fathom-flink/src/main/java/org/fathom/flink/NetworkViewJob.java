package org.fathom.flink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The network-wide view (issue 14): reads the flows, calls and alerts topics that many probes
 * publish ({@code fathom analyze|live --kafka}), and publishes per 1-minute event-time window:
 * traffic per application/category per probe and network-wide, call KPIs per probe and
 * network-wide, and attacks on one target merged into one incident, with k-suppression on every
 * group. Late records (behind the watermark) and records that cannot be read go to the
 * unprocessed topic, counted, never dropped silently. See docs/EXPORTS.md "Flink".
 *
 * <p>Run: {@code flink run -c org.fathom.flink.NetworkViewJob fathom-flink.jar --bootstrap HOST:9092}
 * (see {@link Config#parse} for the options).
 */
public final class NetworkViewJob {
    private NetworkViewJob() {
    }

    /** The job's settings. */
    public record Config(String bootstrap, String inputPrefix, String outputPrefix, int k, Duration window,
                         Duration outOfOrderness, Duration idleness, String groupId, boolean bounded, boolean exactlyOnce,
                         Duration checkpointInterval, Properties client, boolean watermarkPerRecord) {
        public static Config defaults(String bootstrap) {
            return new Config(bootstrap, "fathom.", "fathom.network.", 10, Duration.ofMinutes(1), Duration.ofSeconds(30),
                    Duration.ofMinutes(1), "fathom-network-view", false, false, Duration.ofSeconds(30), new Properties(), false);
        }

        /** A watermark after every record instead of every 200 ms: deterministic late data, for replays and tests. */
        public Config withWatermarkPerRecord(boolean w) {
            return new Config(bootstrap, inputPrefix, outputPrefix, k, window, outOfOrderness, idleness, groupId, bounded,
                    exactlyOnce, checkpointInterval, client, w);
        }

        public Config withK(int newK) {
            return new Config(bootstrap, inputPrefix, outputPrefix, newK, window, outOfOrderness, idleness, groupId, bounded,
                    exactlyOnce, checkpointInterval, client, watermarkPerRecord);
        }

        public Config withPrefixes(String in, String out) {
            return new Config(bootstrap, in, out, k, window, outOfOrderness, idleness, groupId, bounded, exactlyOnce,
                    checkpointInterval, client, watermarkPerRecord);
        }

        public Config withOutOfOrderness(Duration d) {
            return new Config(bootstrap, inputPrefix, outputPrefix, k, window, d, idleness, groupId, bounded, exactlyOnce,
                    checkpointInterval, client, watermarkPerRecord);
        }

        public Config withBounded(boolean b) {
            return new Config(bootstrap, inputPrefix, outputPrefix, k, window, outOfOrderness, idleness, groupId, b, exactlyOnce,
                    checkpointInterval, client, watermarkPerRecord);
        }

        /**
         * {@code --bootstrap HOST:PORT} (required), {@code --input-prefix} (default fathom.),
         * {@code --output-prefix} (default fathom.network.), {@code --k} (default 10, as the guard),
         * {@code --window-seconds} (60), {@code --out-of-orderness-seconds} (30),
         * {@code --idleness-seconds} (60), {@code --group-id}, {@code --bounded} (stop at the topics'
         * current end), {@code --exactly-once} (transactional output), {@code --checkpoint-seconds} (30).
         */
        public static Config parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (!name.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + name + "'");
                }
                if (name.equals("--bounded") || name.equals("--exactly-once") || name.equals("--watermark-per-record")) {
                    a.put(name, "true");
                } else if (i + 1 < args.length) {
                    a.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException(name + " needs a value");
                }
            }
            String bootstrap = a.remove("--bootstrap");
            if (bootstrap == null) {
                throw new IllegalArgumentException("--bootstrap HOST:PORT is required");
            }
            Config c = defaults(bootstrap);
            int k = Integer.parseInt(a.getOrDefault("--k", "10"));
            if (k < 2) {
                throw new IllegalArgumentException("--k must be at least 2, not " + k);
            }
            Config r = new Config(bootstrap, a.getOrDefault("--input-prefix", c.inputPrefix), a.getOrDefault("--output-prefix", c.outputPrefix),
                    k, Duration.ofSeconds(Long.parseLong(a.getOrDefault("--window-seconds", "60"))),
                    Duration.ofSeconds(Long.parseLong(a.getOrDefault("--out-of-orderness-seconds", "30"))),
                    Duration.ofSeconds(Long.parseLong(a.getOrDefault("--idleness-seconds", "60"))),
                    a.getOrDefault("--group-id", c.groupId), a.containsKey("--bounded"), a.containsKey("--exactly-once"),
                    Duration.ofSeconds(Long.parseLong(a.getOrDefault("--checkpoint-seconds", "30"))), new Properties(),
                    a.containsKey("--watermark-per-record"));
            for (String known : List.of("--input-prefix", "--output-prefix", "--k", "--window-seconds", "--out-of-orderness-seconds",
                    "--idleness-seconds", "--group-id", "--bounded", "--exactly-once", "--checkpoint-seconds", "--watermark-per-record")) {
                a.remove(known);
            }
            if (!a.isEmpty()) {
                throw new IllegalArgumentException("unknown option " + a.keySet().iterator().next());
            }
            return r;
        }
    }

    /** Output topic suffixes. */
    public static final String TRAFFIC = "traffic", CALLS = "calls", INCIDENTS = "incidents", UNPROCESSED = "unprocessed";

    static final OutputTag<Event> LATE_TRAFFIC = new OutputTag<>("late-traffic", TypeInformation.of(Event.class));
    static final OutputTag<Event> LATE_CALLS = new OutputTag<>("late-calls", TypeInformation.of(Event.class));
    static final OutputTag<Event> LATE_ALERTS = new OutputTag<>("late-alerts", TypeInformation.of(Event.class));
    static final OutputTag<Event> CALL_EVENTS = new OutputTag<>("calls", TypeInformation.of(Event.class));
    static final OutputTag<Event> ALERT_EVENTS = new OutputTag<>("alerts", TypeInformation.of(Event.class));
    static final OutputTag<Event> MALFORMED = new OutputTag<>("malformed", TypeInformation.of(Event.class));

    /** Bounded out-of-orderness, with the watermark emitted after every record. */
    static final class PerRecordWatermarks implements org.apache.flink.api.common.eventtime.WatermarkGenerator<Event> {
        private final long bound;
        private long max = Long.MIN_VALUE;

        PerRecordWatermarks(long bound) {
            this.bound = bound;
        }

        @Override
        public void onEvent(Event e, long ts, org.apache.flink.api.common.eventtime.WatermarkOutput out) {
            if (ts > max) {
                max = ts;
                out.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(max - bound - 1));
            }
        }

        @Override
        public void onPeriodicEmit(org.apache.flink.api.common.eventtime.WatermarkOutput out) {
        }
    }

    /** Reads each Kafka record's value as an event (its JSON parsed once, at the source). */
    static final class Deserializer implements KafkaRecordDeserializationSchema<Event> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Event> out) {
            out.collect(Records.parse(record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8)));
        }

        @Override
        public TypeInformation<Event> getProducedType() {
            return TypeInformation.of(Event.class);
        }
    }

    /** Flows to the main output, calls and alerts and malformed records to their side outputs. */
    static final class Split extends ProcessFunction<Event, Event> {
        @Override
        public void processElement(Event e, Context ctx, Collector<Event> out) {
            switch (e.kind) {
                case Event.FLOW -> {
                    out.collect(e.withGroup(e.probe));
                    out.collect(e.withGroup("*"));
                }
                case Event.CALL -> {
                    ctx.output(CALL_EVENTS, e.withGroup(e.probe));
                    ctx.output(CALL_EVENTS, e.withGroup("*"));
                }
                case Event.ALERT -> ctx.output(ALERT_EVENTS, e.withGroup(e.targetIp + "|" + e.targetPort));
                default -> ctx.output(MALFORMED, e);
            }
        }
    }

    static Out unprocessed(String topic, String reason, Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "unprocessed");
        m.put("reason", reason);
        m.put("probe_id", e.probe);
        m.put("record", e.raw);
        return new Out(topic, e.probe == null ? "" : e.probe, JsonOut.write(m));
    }

    /** Builds the job's graph on {@code env}. */
    public static void build(StreamExecutionEnvironment env, Config c) {
        // a pattern, so that the job starts before the probes have made every topic; new topics and
        // partitions are found while it runs (partition.discovery.interval.ms, 1 minute here)
        java.util.regex.Pattern topics = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(c.inputPrefix()) + "(flows|calls|alerts)");
        var builder = KafkaSource.<Event>builder()
                .setBootstrapServers(c.bootstrap())
                .setTopicPattern(topics)
                .setGroupId(c.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new Deserializer())
                .setProperties(c.client())
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (c.bounded()) {
            builder.setStartingOffsets(OffsetsInitializer.earliest()).setBounded(OffsetsInitializer.latest());
        } else {
            builder.setProperty("partition.discovery.interval.ms", "60000");
        }
        KafkaSource<Event> source = builder.build();
        // per-partition watermarks (the source's): a probe's records come roughly in event-time order
        long bound = c.outOfOrderness().toMillis();
        WatermarkStrategy<Event> watermarks = (c.watermarkPerRecord()
                ? WatermarkStrategy.<Event>forGenerator(ctx -> new PerRecordWatermarks(bound))
                : WatermarkStrategy.<Event>forBoundedOutOfOrderness(c.outOfOrderness()))
                .withTimestampAssigner((e, ts) -> e.kind.equals(Event.MALFORMED) ? Long.MIN_VALUE : e.time)
                .withIdleness(c.idleness());
        DataStream<Event> events = env.fromSource(source, watermarks, "probes' topics").name("read probes' records");
        SingleOutputStreamOperator<Event> flows = events.process(new Split()).name("split by kind");
        String out = c.outputPrefix();
        TumblingEventTimeWindows window = TumblingEventTimeWindows.of(c.window());

        SingleOutputStreamOperator<Out> traffic = flows.keyBy(e -> e.group).window(window).sideOutputLateData(LATE_TRAFFIC)
                .aggregate(new Traffic.Aggregate(), new Traffic.Publish(out + TRAFFIC, c.k())).name("traffic per application");
        SingleOutputStreamOperator<Out> calls = flows.getSideOutput(CALL_EVENTS).keyBy(e -> e.group).window(window)
                .sideOutputLateData(LATE_CALLS)
                .aggregate(new CallKpis.Aggregate(), new CallKpis.Publish(out + CALLS, c.k())).name("call KPIs");
        SingleOutputStreamOperator<Out> incidents = flows.getSideOutput(ALERT_EVENTS).keyBy(e -> e.group).window(window)
                .sideOutputLateData(LATE_ALERTS)
                .aggregate(new Incidents.Aggregate(), new Incidents.Publish(out + INCIDENTS, c.k())).name("incidents");

        String unprocessedTopic = out + UNPROCESSED;
        // a late record is in the "*" copy and its probe's copy: said once, from the "*" copy
        DataStream<Out> late = traffic.getSideOutput(LATE_TRAFFIC).filter(e -> e.group.equals("*"))
                .union(calls.getSideOutput(LATE_CALLS).filter(e -> e.group.equals("*")), incidents.getSideOutput(LATE_ALERTS))
                .map(e -> unprocessed(unprocessedTopic, "late", e)).returns(Out.class);
        DataStream<Out> malformed = flows.getSideOutput(MALFORMED).map(e -> unprocessed(unprocessedTopic, "malformed", e))
                .returns(Out.class);

        KafkaSink<Out> sink = KafkaSink.<Out>builder()
                .setBootstrapServers(c.bootstrap())
                .setKafkaProducerConfig(producerConfig(c))
                .setRecordSerializer((KafkaRecordSerializationSchema<Out>) (o, context, timestamp) -> new ProducerRecord<>(o.topic,
                        o.key.getBytes(StandardCharsets.UTF_8), o.value.getBytes(StandardCharsets.UTF_8)))
                .setDeliveryGuarantee(c.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix("fathom-network-view")
                .build();
        traffic.union(calls, incidents, late, malformed).sinkTo(sink).name("network topics");
    }

    private static Properties producerConfig(Config c) {
        Properties p = new Properties();
        p.putAll(c.client());
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        return p;
    }

    public static void main(String[] args) throws Exception {
        Config c;
        try {
            c = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fathom-network-view: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!c.bounded()) {
            env.enableCheckpointing(c.checkpointInterval().toMillis());
        }
        build(env, c);
        long t0 = System.nanoTime();
        env.execute("Fathom network-wide view");
        System.err.printf("fathom-network-view: finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
