package org.fathom.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.fathom.output.AsyncSink;
import org.fathom.output.JsonLinesDirectorySink;
import org.fathom.record.FlowSink;
import org.fathom.record.RecordKind;
import picocli.CommandLine.Option;

/**
 * Per-transaction events ({@code --events FILE|-}, {@code --events-dir DIR}): one JSON line per
 * HTTP request, DNS query and answer, TLS handshake, ... (docs/EVENTS.md), through the privacy
 * guard like every record. A mixin, added to {@link RunOptions} with one line. Without either
 * option no event is built at all.
 */
final class EventsOptions {
    @Option(names = "--events", paramLabel = "FILE", description = "Write per-transaction events (HTTP requests, DNS queries and answers, TLS handshakes, ...; see docs/EVENTS.md) to FILE as JSON lines ('-' for standard output). Each carries the flow_id of its flow record.")
    String events;

    @Option(names = "--events-dir", paramLabel = "DIR", description = "Write per-transaction events to DIR/<name>.jsonl: one file per capture, as --flows-dir does.")
    Path eventsDir;

    private JsonLinesDirectorySink dirSink;
    private AsyncSink dirOutput;

    /** Whether events go to standard output (the summary then goes to standard error). */
    boolean toStdout() {
        return "-".equals(events);
    }

    /** @throws UserError when both options are given */
    void check() {
        if (events != null && eventsDir != null) {
            throw new UserError("--events and --events-dir cannot be used together");
        }
    }

    /** @throws UserError in aggregate mode, which releases no individual transactions */
    void check(org.fathom.privacy.PrivacyPolicy policy) {
        if ((events != null || eventsDir != null) && policy.mode() == org.fathom.privacy.PrivacyMode.AGGREGATE) {
            throw new UserError("aggregate mode releases no per-transaction events: leave out --events/--events-dir");
        }
    }

    /**
     * Adds the events output (behind its own queue) to the guard's sinks.
     *
     * @throws UserError when the file or folder cannot be opened or made
     */
    void open(RunOptions run, List<FlowSink> sinks, List<AsyncSink> outputs, Map<String, String> contents,
              AsyncSink.Overflow overflow) {
        check();
        if (events != null) {
            sinks.add(run.queued(outputs, events, RunOptions.openSink(events, EnumSet.of(RecordKind.EVENT)), overflow));
            contents.put(outputs.getLast().name(), "events");
        }
        if (eventsDir != null) {
            try {
                Files.createDirectories(eventsDir);
            } catch (IOException e) {
                throw new UserError(eventsDir + ": cannot create folder (" + RunOptions.message(e) + ")");
            }
            dirSink = new JsonLinesDirectorySink(eventsDir, EnumSet.of(RecordKind.EVENT));
            dirOutput = run.queued(outputs, eventsDir.toString(), dirSink, overflow);
            sinks.add(dirOutput);
            contents.put(dirOutput.name(), "events");
        }
    }

    /** Starts the file of a capture in the events folder (after the previous one's events are written). */
    void startCapture(String name) throws IOException {
        if (dirSink != null) {
            dirOutput.flush();
            dirSink.startCapture(name);
        }
    }

    /** Writes out and closes the current capture's events file. */
    void finishCapture() throws IOException {
        if (dirSink != null) {
            dirOutput.flush();
            dirSink.finishCapture();
        }
    }
}
