package org.fathom.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;
import org.fathom.output.AsyncSink;
import org.fathom.output.kafka.KafkaSink;
import org.fathom.record.FlowSink;
import picocli.CommandLine.Option;

/**
 * The Kafka export of commands that release records ({@code analyze} and {@code live}):
 * {@code --kafka BOOTSTRAP} with its topic prefix, client properties and probe id. A mixin, so
 * that each command adds it in one place; it keeps the opened sink for the summary's line.
 */
final class KafkaOptions {
    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Publish flows, calls, alerts and aggregates (and the events and policy verdicts the run makes) to Kafka: HOST:PORT[,HOST:PORT...] of the brokers; one topic per record kind, JSON values with the probe's id (see docs/EXPORTS.md). Its queue drops records when full unless --on-full block is given.")
    String bootstrap;

    @Option(names = "--kafka-topic-prefix", paramLabel = "PREFIX", description = "Prefix of the Kafka topics: PREFIXflows, PREFIXcalls, PREFIXalerts, PREFIXaggregates, PREFIXevents, PREFIXverdicts, PREFIXprivacy (default: ${DEFAULT-VALUE}).")
    String topicPrefix = KafkaSink.DEFAULT_PREFIX;

    @Option(names = "--kafka-events", description = "Make per-transaction events for the Kafka export (topic PREFIXevents) even without --events/--events-dir (events cost CPU: off by default).")
    boolean events;

    @Option(names = "--kafka-properties", paramLabel = "FILE", description = "Kafka client properties (Java properties file): TLS, SASL, tuning (e.g. security.protocol, sasl.jaas.config, compression.type).")
    Path propertiesFile;

    @Option(names = "--probe-id", paramLabel = "ID", description = "This probe's name in every record of the Kafka export (letters, digits, '.', '_', ':', '-'; default: the host name).")
    String probeId;

    private static final Pattern PROBE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[A-Za-z0-9._-]{0,200}");

    /** The opened sink, for the summary (null before {@link #open} or without {@code --kafka}). */
    private KafkaSink sink;

    /** Whether a Kafka export was asked for. */
    boolean enabled() {
        return bootstrap != null;
    }

    /**
     * Checks the values before anything is opened.
     *
     * @throws UserError on a bad prefix, probe id or properties file
     */
    void check() {
        if (!enabled()) {
            if (probeId != null || propertiesFile != null || events || !KafkaSink.DEFAULT_PREFIX.equals(topicPrefix)) {
                throw new UserError("--probe-id, --kafka-properties, --kafka-events and --kafka-topic-prefix need --kafka BOOTSTRAP");
            }
            return;
        }
        if (bootstrap.isBlank()) {
            throw new UserError("--kafka: give the brokers as HOST:PORT[,HOST:PORT...]");
        }
        if (!TOPIC_PREFIX.matcher(topicPrefix).matches()) {
            throw new UserError("--kafka-topic-prefix '" + topicPrefix + "': only letters, digits, '.', '_' and '-' make a Kafka topic name");
        }
        if (probeId != null && !PROBE_ID.matcher(probeId).matches()) {
            throw new UserError("--probe-id '" + probeId + "': 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
        properties();
    }

    /** The probe id: {@code --probe-id}, else the host name. */
    String probeId() {
        if (probeId != null) {
            return probeId;
        }
        String host = null;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            // not Linux: ask the resolver
        }
        if (host == null || host.isEmpty()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "probe";
            }
        }
        String clean = host.replaceAll("[^A-Za-z0-9._:-]", "_");
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }

    /** @throws UserError when the file cannot be read or is not a properties file */
    Properties properties() {
        Properties p = new Properties();
        if (propertiesFile == null) {
            return p;
        }
        try (Reader r = Files.newBufferedReader(propertiesFile)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new UserError("--kafka-properties " + propertiesFile + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("--kafka-properties " + propertiesFile + ": cannot read (" + RunOptions.message(e) + ")");
        }
        return p;
    }

    /**
     * The export's queue drops on full like every network export (the capture does not wait for a
     * broker; drops are counted), unless the user chose a policy with {@code --on-full}; with
     * {@code block} the sink also waits for room in the producer's buffer, so that nothing is lost.
     */
    static AsyncSink.Overflow overflow(AsyncSink.Overflow chosen) {
        return chosen != null ? chosen : AsyncSink.Overflow.DROP;
    }

    /**
     * Connects to the brokers, creates missing topics and starts the producer.
     *
     * @throws UserError in one line when no broker answers or a setting is invalid
     */
    FlowSink open(AsyncSink.Overflow chosen) {
        try {
            sink = KafkaSink.open(bootstrap, properties(), topicPrefix, probeId(), overflow(chosen) == AsyncSink.Overflow.BLOCK,
                    line -> System.err.println("fathom: " + line)).withEvents(events);
            return sink;
        } catch (IOException e) {
            throw new UserError("--kafka " + bootstrap + ": " + RunOptions.message(e));
        }
    }

    /** The queue's name in the summary and in messages. */
    String name() {
        return "Kafka " + bootstrap;
    }

    /** The export's line for the summary, or null without one (read after the guard closed). */
    String summaryLine() {
        if (sink == null) {
            return null;
        }
        KafkaSink.Stats st = sink.stats();
        StringBuilder b = new StringBuilder(String.format("Kafka      %s, topics %s*, probe %s: %,d records sent, %,d acknowledged",
                bootstrap, topicPrefix, probeId(), st.sent(), st.acknowledged()));
        if (st.failed() > 0) {
            b.append(String.format(", %,d failed (not acknowledged)", st.failed()));
        }
        if (st.dropped() > 0) {
            b.append(String.format(", %,d dropped (producer buffer full)", st.dropped()));
        }
        if (st.pending() > 0) {
            b.append(String.format(", %,d unknown", st.pending()));
        }
        if (st.blockedMillis() > 0) {
            b.append(String.format(", waited %.1f s for the broker", st.blockedMillis() / 1000.0));
        }
        return b.toString();
    }
}
