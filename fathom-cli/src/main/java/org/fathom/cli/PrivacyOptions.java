package org.fathom.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fathom.privacy.Authorisation;
import org.fathom.privacy.PrivacyMode;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import picocli.CommandLine.Option;

/** The privacy options of commands that release records; there is no option that turns the guard off. */
final class PrivacyOptions {
    @Option(names = "--privacy", paramLabel = "MODE", description = "aggregate, pseudonymous (default) or identified (needs --authorisation).")
    String mode;

    @Option(names = "--privacy-config", paramLabel = "FILE", description = "Privacy policy file (key = value lines; options given here override it).")
    Path config;

    @Option(names = "--subscriber-networks", paramLabel = "CIDR,...", description = "Networks whose addresses are subscribers' (default: " + SubscriberNetworks.DEFAULT_TEXT + "); 'none' for a lab capture without subscribers. Narrowing the default is audited.")
    String subscriberNetworks;

    @Option(names = "--authorisation", paramLabel = "FILE", description = "Identified mode: the authorisation (scope, from, until, purpose, reference).")
    Path authorisation;

    @Option(names = "--audit-log", paramLabel = "FILE", description = "Tamper-evident audit log (default: $FATHOM_STATE_DIR or ~/.local/state/fathom, audit.log).")
    Path auditLog;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Pseudonymisation master key, created on first use (default: beside the audit log, pseudonym.key).")
    Path keyFile;

    @Option(names = "--key-rotation", paramLabel = "DURATION", description = "Capture time after which pseudonyms change, e.g. 1d, 12h (default 1d).")
    String keyRotation;

    @Option(names = "--k", paramLabel = "N", description = "Aggregate mode: groups with fewer distinct subscribers are suppressed (default 10).")
    Integer k;

    @Option(names = "--epsilon", paramLabel = "E", description = "Aggregate mode: Laplace noise budget for the published counts (default: no noise).")
    Double epsilon;

    @Option(names = "--bucket", paramLabel = "DURATION", description = "Aggregate mode: time bucket of the statistics (default 1h).")
    String bucket;

    /** Folders of the system's device and kernel files: no audit log or key is ever made there. */
    private static final List<Path> SYSTEM_FOLDERS = List.of(Path.of("/dev"), Path.of("/proc"), Path.of("/sys"));

    /**
     * An audit log or key file must be a regular file (or not exist yet), and not in a folder of
     * device or kernel files: /dev/null would swallow the log, /dev/zero be read without end, and
     * a key beside either would land in /dev.
     */
    private static void checkStatePath(Path file, String what) {
        Path abs = file.toAbsolutePath().normalize();
        for (Path sys : SYSTEM_FOLDERS) {
            if (abs.startsWith(sys)) {
                throw new UserError(what + " " + file + ": not a regular file in a data folder (" + sys
                        + " holds devices and kernel files): name a file, e.g. --audit-log ./audit.log");
            }
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UserError(what + " " + file + ": not a regular file" + (Files.isDirectory(file) ? " (a folder)" : "")
                    + ": name a file");
        }
    }

    /**
     * Builds the policy: defaults, then the policy file, then these options.
     *
     * @throws UserError on any invalid value or combination
     */
    PrivacyPolicy policy(boolean perFlowOutput, boolean aggregatesOutput) {
        try {
            PrivacyPolicy p = PrivacyPolicy.defaults();
            if (config != null) {
                p = p.load(config);
            }
            if (mode != null) {
                p = p.withMode(PrivacyMode.parse(mode));
            }
            if (subscriberNetworks != null) {
                p = p.withSubscribers(SubscriberNetworks.parse(subscriberNetworks));
            }
            if (auditLog != null) {
                checkStatePath(auditLog, "--audit-log");
                p = p.withAuditLog(auditLog);
                if (keyFile == null && config == null) {
                    p = p.withKeyFile(auditLog.toAbsolutePath().resolveSibling("pseudonym.key"));
                }
            }
            if (keyFile != null) {
                checkStatePath(keyFile, "--key-file");
                p = p.withKeyFile(keyFile);
            }
            checkStatePath(p.auditLog(), "audit log");
            checkStatePath(p.keyFile(), "key file");
            if (keyRotation != null) {
                p = p.withKeyRotation(PrivacyPolicy.parseDuration(keyRotation));
            }
            if (k != null) {
                p = p.withK(k);
            }
            if (epsilon != null) {
                p = p.withEpsilon(epsilon);
            }
            if (bucket != null) {
                p = p.withBucket(PrivacyPolicy.parseDuration(bucket));
            }
            if (authorisation != null) {
                p = p.withAuthorisation(Authorisation.load(authorisation));
            }
            if (p.mode() == PrivacyMode.IDENTIFIED && p.authorisation() == null) {
                throw new UserError("--privacy identified needs --authorisation FILE naming scope, from, until, purpose and reference");
            }
            if (p.mode() == PrivacyMode.AGGREGATE && perFlowOutput) {
                throw new UserError("aggregate mode releases no per-flow records: use --aggregates FILE instead of --flows/--flows-dir");
            }
            if (p.mode() != PrivacyMode.AGGREGATE && aggregatesOutput) {
                throw new UserError("--aggregates needs --privacy aggregate");
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
