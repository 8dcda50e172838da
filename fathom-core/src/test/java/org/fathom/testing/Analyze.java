package org.fathom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fathom.capture.CaptureException;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.CaptureAnalyzer;
import org.fathom.pipeline.Progress;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.CollectingSink;
import org.fathom.record.FlowRecord;

/** Runs captures through the whole engine, privacy guard included, for tests. */
public final class Analyze {
    private Analyze() {}

    /**
     * A lab policy for dissector tests: identified mode under an authorisation that covers every
     * address and time, with no subscriber networks, so that records arrive exactly as the
     * engine built them (every field, no pseudonyms). State lives in a temporary folder.
     */
    public static PrivacyPolicy labPolicy() {
        try {
            Path state = Files.createTempDirectory(stateRoot(), "run");
            Path auth = state.resolve("authorisation.txt");
            Files.writeString(auth, "scope: 0.0.0.0/0, ::/0\nfrom: 1970-01-01T00:00:00Z\nuntil: 2100-01-01T00:00:00Z\n"
                    + "purpose: unit tests of the dissectors\nreference: fathom-tests\n");
            return PrivacyPolicy.defaults().withSubscribers(SubscriberNetworks.NONE)
                    .withAuditLog(state.resolve("audit.log")).withKeyFile(state.resolve("pseudonym.key"))
                    .withAuthorisation(org.fathom.privacy.Authorisation.load(auth)).withMode(org.fathom.privacy.PrivacyMode.IDENTIFIED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path stateRoot;

    /**
     * One folder per test JVM for every lab policy's state (audit log, key, authorisation), each
     * policy in its own subfolder; the whole folder is deleted when the JVM ends. (Before, every
     * call left a folder of its own in the system temp folder: deleteOnExit does not remove a
     * folder that has files in it.)
     */
    static synchronized Path stateRoot() throws IOException {
        if (stateRoot == null) {
            Path root = Files.createTempDirectory("fathom-test-state");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
            stateRoot = root;
        }
        return stateRoot;
    }

    /** Deletes a folder and everything in it, as far as possible. */
    public static void deleteTree(Path root) {
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: a test must not fail on cleaning up
        }
    }

    /**
     * Call records of a capture (lab policy, one worker), with the call analyzer registered;
     * {@code stats} receives the run's call counts.
     */
    public static List<org.fathom.record.CallRecord> calls(Path capture, org.fathom.voip.CallConfig config,
                                                           org.fathom.voip.CallStats stats) {
        return calls(capture, config, stats, labPolicy(), 1);
    }

    public static List<org.fathom.record.CallRecord> calls(Path capture, org.fathom.voip.CallConfig config,
                                                           org.fathom.voip.CallStats stats, PrivacyPolicy policy,
                                                           int workers) {
        CollectingSink sink = new CollectingSink();
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink))) {
            new CaptureAnalyzer(AnalysisOptions.defaults().withAnalyzer(org.fathom.voip.CallAnalyzer.factory(config, stats)))
                    .analyze(capture, workers, guard, new AnalysisSummary(), Progress.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CaptureException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new ArrayList<>(sink.calls());
    }

    /** Flow records of a capture (lab policy, one worker), sorted by first packet time then text. */
    public static List<FlowRecord> flows(Path capture) {
        return flows(capture, 1, labPolicy());
    }

    /** Alerts of a capture with the attack detector registered (lab policy, one worker). */
    public static List<org.fathom.record.AlertRecord> alerts(Path capture) {
        PrivacyPolicy policy = labPolicy();
        CollectingSink sink = new CollectingSink();
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink))) {
            new CaptureAnalyzer(AnalysisOptions.defaults().withAnalyzer(org.fathom.security.AttackDetector.factory()))
                    .analyze(capture, 1, guard, new AnalysisSummary(), Progress.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CaptureException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new ArrayList<>(sink.alerts());
    }

    /**
     * Flows and per-transaction events of a capture (a sink that takes events, as {@code --events}
     * does), with {@code workers} workers under {@code policy}.
     */
    public static CollectingSink withEvents(Path capture, int workers, PrivacyPolicy policy) {
        CollectingSink sink = new CollectingSink(true);
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink))) {
            new CaptureAnalyzer(AnalysisOptions.defaults()).analyze(capture, workers, guard, new AnalysisSummary(), Progress.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CaptureException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return sink;
    }

    public static List<FlowRecord> flows(Path capture, int workers, PrivacyPolicy policy) {
        CollectingSink sink = new CollectingSink();
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()), List.of(sink))) {
            new CaptureAnalyzer(AnalysisOptions.defaults()).analyze(capture, workers, guard, new AnalysisSummary(), Progress.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CaptureException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<FlowRecord> l = new ArrayList<>(sink.flows());
        l.sort(Comparator.comparingLong(FlowRecord::firstSeenNanos).thenComparing(FlowRecord::toString));
        return l;
    }
}
