package org.fathom.output.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fathom.net.Addresses;
import org.fathom.output.JsonLinesFlowSink;
import org.fathom.record.AggregateRecord;
import org.fathom.record.AlertRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.Released;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Publishes released records to Kafka, one topic per record kind ({@code <prefix>flows},
 * {@code calls}, {@code alerts}, {@code aggregates}, {@code events}, {@code verdicts}, and the run's
 * privacy header on {@code privacy}). The value is the record's JSON object, the same as a line of the JSON-lines
 * outputs ({@link JsonLinesFlowSink#write}) with {@code "probe_id"} added after {@code "type"}.
 *
 * <p>Keys (UTF-8 text, pseudonymised values only, as the guard released them) put all the records
 * of one flow, of one call, of one attack target in one partition: see {@link #key}.
 *
 * <p>Delivery: an idempotent producer with {@code acks=all}; a record counts as acknowledged only
 * when the broker's acknowledgement reaches its callback. When the broker is unreachable the
 * producer buffers up to {@code buffer.memory} bytes, retrying, for up to
 * {@code delivery.timeout.ms} per record; a record still unacknowledged then is counted as failed.
 * When that buffer is full, {@link #accept} waits ({@code max.block.ms}); then, with
 * {@code blockWhenFull}, it tries again for as long as it takes (back-pressure: the caller's queue
 * fills and, with the {@code block} policy, the analysis waits), otherwise the record is counted as
 * dropped. Every failure and drop is counted ({@link #stats}) and the first of each kind is said
 * in one line; none is silent. {@link #close} flushes: it returns when every record sent was
 * acknowledged or failed.
 *
 * <p>Called from one thread (the sink's {@code AsyncSink} thread); the counters are read from any.
 */
public final class KafkaSink implements FlowSink {
    /** Topic suffixes per record kind. */
    public static final String FLOWS = "flows", CALLS = "calls", ALERTS = "alerts", AGGREGATES = "aggregates",
            PRIVACY = "privacy", EVENTS = "events", VERDICTS = "verdicts";
    /** Every topic kind, in the order they are created and their metadata fetched. */
    static final List<String> KINDS = List.of(PRIVACY, FLOWS, CALLS, ALERTS, AGGREGATES, EVENTS, VERDICTS);
    public static final String DEFAULT_PREFIX = "fathom.";

    static final long MIN_CONNECT_MILLIS = 3000;

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** Counters of the export, for the summary. */
    public record Stats(long sent, long acknowledged, long failed, long dropped, long blockedMillis) {
        /** Sent records whose fate is not known yet (0 after {@link #close}). */
        public long pending() {
            return sent - acknowledged - failed;
        }
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String prefix;
    private final String probeId;
    private final boolean blockWhenFull;
    private final Consumer<String> warn;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
    private final AtomicLong sent = new AtomicLong(), acked = new AtomicLong(), failed = new AtomicLong(),
            dropped = new AtomicLong(), blockedNanos = new AtomicLong();
    private final AtomicBoolean failureSaid = new AtomicBoolean(), dropSaid = new AtomicBoolean(),
            waitSaid = new AtomicBoolean();
    private volatile boolean closed;
    /** Set while {@link #accept} is in {@code send}: a callback then is the producer refusing the record. */
    private boolean sending;
    private Exception rejected;
    private final Thread[] caller = new Thread[1];
    private final org.apache.kafka.clients.producer.Callback callback = (metadata, error) -> {
        if (error == null) {
            acked.incrementAndGet();
        } else if (sending && Thread.currentThread() == caller[0]) {
            rejected = error;
        } else {
            failed.incrementAndGet();
            sayFailure(error);
        }
    };

    private void sayFailure(Exception error) {
        if (failureSaid.compareAndSet(false, true)) {
            warn.accept("kafka: a record was not acknowledged (" + reason(error) + "); failed records are counted in the summary");
        }
    }

    /** Whether events are made for this export (they are published whenever the run makes them). */
    private boolean events;

    /**
     * Asks the run to make per-transaction events for this export (before the sink is handed to
     * the guard). Without it, events reach the topic only when another output asked for them.
     */
    public KafkaSink withEvents(boolean on) {
        events = on;
        return this;
    }

    @Override
    public boolean takesEvents() {
        return events;
    }

    private KafkaSink(KafkaProducer<byte[], byte[]> producer, String prefix, String probeId, boolean blockWhenFull,
                      Consumer<String> warn) {
        this.producer = producer;
        this.prefix = prefix;
        this.probeId = probeId;
        this.blockWhenFull = blockWhenFull;
        this.warn = warn;
    }

    /**
     * The producer's settings: Fathom's delivery defaults, then the user's {@code client} properties
     * (TLS, SASL, tuning: they may override the defaults), then the bootstrap servers and the
     * serialisers, which are always ours.
     */
    public static Properties producerConfig(String bootstrap, Properties client) {
        Properties p = new Properties();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(32L << 20));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fathom");
        if (client != null) {
            p.putAll(client);
        }
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * Connects: checks that a broker answers (within {@code max.block.ms}, default 10 s, at least 3 s), creates the topics
     * that do not exist yet (with the broker's default partitions and replication; where creating
     * is not allowed the broker's auto-creation or the operator's topics are used), then starts the
     * producer.
     *
     * @param bootstrap     {@code host:port[,host:port...]}
     * @param client        extra client properties (TLS, SASL, tuning), or null
     * @param blockWhenFull wait instead of dropping when the producer's buffer stays full
     * @param warn          where the one-line warnings go (first failure, first drop, topic creation)
     * @throws IOException with a one-line message when no broker answers or a setting is invalid
     */
    public static KafkaSink open(String bootstrap, Properties client, String prefix, String probeId, boolean blockWhenFull,
                                 Consumer<String> warn) throws IOException {
        Properties config = producerConfig(bootstrap, client);
        Duration connectTimeout;
        try {
            // at least 3 s, however short max.block.ms is (a connection and a TLS handshake take a while)
            connectTimeout = Duration.ofMillis(Math.max(MIN_CONNECT_MILLIS,
                    Long.parseLong(config.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG).strip())));
        } catch (NumberFormatException e) {
            throw new IOException("max.block.ms is not a number: " + config.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        }
        Properties adminConfig = new Properties();
        for (String name : config.stringPropertyNames()) {
            if (AdminClientConfig.configNames().contains(name) && !name.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                adminConfig.put(name, config.getProperty(name));
            }
        }
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(connectTimeout.toMillis()));
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(connectTimeout.toMillis()));
        try (Admin admin = Admin.create(adminConfig)) {
            admin.describeCluster().nodes().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            createTopics(admin, prefix, warn, connectTimeout);
        } catch (TimeoutException e) {
            throw new IOException("no broker answered within " + connectTimeout.toMillis() / 1000.0 + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new IOException("no broker answered within " + connectTimeout.toMillis() / 1000.0 + " s");
            }
            throw new IOException(reason(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting");
        } catch (KafkaException e) {
            throw new IOException(reason(e));
        }
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(config);
        } catch (KafkaException e) {
            throw new IOException(reason(e));
        }
        // the topics' metadata now, so that the first records do not wait for it (or, with a short
        // max.block.ms, find it missing)
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        for (String kind : KINDS) {
            while (System.nanoTime() < deadline) {
                try {
                    producer.partitionsFor(prefix + kind);
                    break;
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    // ask again until the deadline; the records will wait for it otherwise
                } catch (KafkaException e) {
                    break;   // e.g. not authorised to describe: the send will say
                }
            }
        }
        return new KafkaSink(producer, prefix, probeId, blockWhenFull, warn);
    }

    private static void createTopics(Admin admin, String prefix, Consumer<String> warn, Duration connectTimeout) throws InterruptedException {
        List<NewTopic> wanted = new ArrayList<>();
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return;   // not allowed to list: the operator made the topics, or the broker creates them
        }
        for (String kind : KINDS) {
            if (!existing.contains(prefix + kind)) {
                wanted.add(new NewTopic(prefix + kind, java.util.Optional.empty(), java.util.Optional.empty()));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        Map<String, org.apache.kafka.common.KafkaFuture<Void>> created = admin.createTopics(wanted).values();
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : created.entrySet()) {
            try {
                e.getValue().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException x) {
                if (!(x.getCause() instanceof TopicExistsException)) {
                    warn.accept("kafka: cannot create topic " + e.getKey() + " (" + reason(x.getCause())
                            + "); relying on the broker's auto-creation");
                }
            } catch (TimeoutException x) {
                warn.accept("kafka: topic " + e.getKey() + " not created within " + connectTimeout.toSeconds() + " s");
            }
        }
        awaitLeaders(admin, created.keySet(), connectTimeout);
    }

    /**
     * Waits (up to {@code limit}) until every partition of the new topics has a leader, so that the
     * first records do not wait in the producer for a leader election (seen to stall a partition
     * of a just-created topic until delivery.timeout.ms on a busy single-node cluster).
     */
    private static void awaitLeaders(Admin admin, java.util.Collection<String> topics, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                boolean all = true;
                for (org.apache.kafka.clients.admin.TopicDescription d
                        : admin.describeTopics(topics).allTopicNames().get(limit.toMillis(), TimeUnit.MILLISECONDS).values()) {
                    for (org.apache.kafka.common.TopicPartitionInfo p : d.partitions()) {
                        all &= p.leader() != null && !p.leader().isEmpty();
                    }
                }
                if (all) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not visible yet: ask again
            }
            Thread.sleep(100);
        }
    }

    /** The first line of a client exception's message, without the class names of its wrappers. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof ExecutionException
                || t.getMessage().startsWith("Failed to construct") || t.getMessage().startsWith("Failed to create"))) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The topic of a record kind. */
    public String topic(ExportRecord r) {
        String kind = switch (r) {
            case FlowRecord f -> FLOWS;
            case CallRecord c -> CALLS;
            case AlertRecord a -> ALERTS;
            case AggregateRecord a -> AGGREGATES;
            case PrivacyHeader h -> PRIVACY;
            case org.fathom.record.EventRecord e -> EVENTS;
            case org.fathom.record.VerdictRecord v -> VERDICTS;
        };
        return prefix + kind;
    }

    /**
     * The record's key: the probe and the flow's key (l4, client and server address and port,
     * VLAN: every record of one flow, interim ones included, has the same); the probe and the call
     * id (the guard's token); for alerts the target address and port only, without the probe, so
     * that the alerts of several probes about one target meet in one partition; for aggregates
     * the probe and the segment; for the privacy header the probe. A transaction event and a
     * policy verdict have their flow's key (the same fields as its flow record's), so they land in
     * the flow's partition of their own topic; an address or endpoint verdict has the probe and
     * the address.
     */
    public static String key(ExportRecord r, String probeId) {
        return switch (r) {
            case FlowRecord f -> flowKey(probeId, f.l4(), f.srcIp(), f.srcPort(), f.dstIp(), f.dstPort(), f.vlan());
            case CallRecord c -> probeId + "|" + (c.callId() != null ? c.callId()
                    : Addresses.format(c.clientHi(), c.clientLo()) + "|" + c.clientPort());
            case AlertRecord a -> Addresses.format(a.targetHi(), a.targetLo()) + "|" + a.targetPort();
            case AggregateRecord a -> probeId + "|" + a.segment();
            case PrivacyHeader h -> probeId;
            case org.fathom.record.EventRecord e -> flowKey(probeId, e.l4(), e.srcIp(), e.srcPort(), e.dstIp(), e.dstPort(), e.vlan());
            case org.fathom.record.VerdictRecord v -> v.hasDestination()
                    ? flowKey(probeId, v.l4(), Addresses.format(v.srcHi(), v.srcLo()), v.srcPort(),
                            Addresses.format(v.dstHi(), v.dstLo()), v.dstPort(), v.vlan())
                    : probeId + "|" + Addresses.format(v.srcHi(), v.srcLo());
        };
    }

    /** A flow's key: its flow record's, its events' and its verdicts' alike. */
    private static String flowKey(String probeId, String l4, String src, int srcPort, String dst, int dstPort, int vlan) {
        return probeId + "|" + l4 + "|" + src + "|" + srcPort + "|" + dst + "|" + dstPort + "|" + vlan;
    }

    /** The record's value: its JSON object with the probe id. */
    byte[] value(ExportRecord r) {
        buf.reset();
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), buf)) {
            JsonLinesFlowSink.write(g, r, probeId);
        }
        return buf.toByteArray();
    }

    @Override
    public void accept(Released<? extends ExportRecord> released) throws IOException {
        caller[0] = Thread.currentThread();
        ExportRecord r = released.record();
        String topic = topic(r);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                key(r, probeId).getBytes(StandardCharsets.UTF_8), value(r));
        long waitStart = 0;
        while (true) {
            // the producer reports a record it cannot take (buffer full or no metadata for
            // max.block.ms, a record too large) through the callback, at once, on this thread
            rejected = null;
            sending = true;
            try {
                producer.send(record, callback);
            } catch (KafkaException e) {
                // a fatal producer error (authorisation, a closed producer...): the output has failed
                throw new IOException("kafka: " + reason(e), e);
            } finally {
                sending = false;
            }
            Exception refusal = rejected;
            if (refusal == null) {
                sent.incrementAndGet();
                break;
            }
            if (!(refusal instanceof org.apache.kafka.common.errors.TimeoutException)) {
                failed.incrementAndGet();   // never sent: counted with the records not acknowledged
                sent.incrementAndGet();
                sayFailure(refusal);
                break;
            }
            if (!blockWhenFull || closed) {
                dropped.incrementAndGet();
                if (dropSaid.compareAndSet(false, true)) {
                    warn.accept("kafka: the producer's buffer is full and no broker takes records (" + reason(refusal)
                            + "); records are dropped and counted");
                }
                break;
            }
            if (waitStart == 0) {
                waitStart = System.nanoTime();
                if (waitSaid.compareAndSet(false, true)) {
                    warn.accept("kafka: the producer's buffer is full and no broker takes records (" + reason(refusal)
                            + "); waiting");
                }
            }
        }
        if (waitStart != 0) {
            blockedNanos.addAndGet(System.nanoTime() - waitStart);
        }
    }

    /** The counters so far; exact after {@link #close}. */
    public Stats stats() {
        return new Stats(sent.get(), acked.get(), failed.get(), dropped.get(), TimeUnit.NANOSECONDS.toMillis(blockedNanos.get()));
    }

    /** Waits until every record sent is acknowledged or has failed (delivery.timeout.ms at most). */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            producer.flush();
        } catch (KafkaException e) {
            // the records' callbacks have counted them
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
    }
}
