package org.fathom.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A deployment's privacy policy: what the {@link PrivacyGuard} releases and how.
 *
 * @param mode               aggregate, pseudonymous (default) or identified
 * @param subscribers        the subscriber networks (personal addresses)
 * @param keyFile            the master pseudonymisation key (created, mode 600, on first use)
 * @param keyRotation        period of capture time after which pseudonyms change (default 1 day)
 * @param k                  aggregate mode: smallest number of distinct subscribers a published group needs
 * @param epsilon            aggregate mode: total Laplace noise budget, or null for no noise
 * @param bucket             aggregate mode: time bucket of the statistics (default 1 hour)
 * @param auditLog           the tamper-evident audit log
 * @param authorisation      identified mode: the authorisation that scopes it (required there)
 */
public record PrivacyPolicy(PrivacyMode mode, SubscriberNetworks subscribers, Path keyFile, Duration keyRotation,
                            int k, Double epsilon, Duration bucket, Path auditLog, Authorisation authorisation) {
    public static final int DEFAULT_K = 10;

    public PrivacyPolicy {
        if (k < 2) {
            throw new IllegalArgumentException("k must be at least 2, not " + k);
        }
        if (epsilon != null && !(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be positive");
        }
        if (keyRotation.isNegative() || keyRotation.isZero()) {
            throw new IllegalArgumentException("key rotation period must be positive");
        }
        if (bucket.isNegative() || bucket.isZero()) {
            throw new IllegalArgumentException("aggregation bucket must be positive");
        }
        // identified mode without an authorisation is refused where the policy is used (the
        // Redactor, and the CLI once every option is applied), not here: a policy is built step
        // by step (file lines, then options), and the mode may come before the authorisation.
    }

    /** Whether the policy can be used as it stands: identified mode needs its authorisation. */
    public PrivacyPolicy requireComplete() {
        if (mode == PrivacyMode.IDENTIFIED && authorisation == null) {
            throw new IllegalArgumentException("identified mode needs an authorisation file (--authorisation FILE)");
        }
        return this;
    }

    /**
     * Where keys and the audit log live unless configured: the system property
     * {@code fathom.state.dir}, else $FATHOM_STATE_DIR, else ~/.local/state/fathom.
     */
    public static Path stateDir() {
        String prop = System.getProperty("fathom.state.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("FATHOM_STATE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "fathom");
    }

    public static PrivacyPolicy defaults() {
        Path state = stateDir();
        return new PrivacyPolicy(PrivacyMode.PSEUDONYMOUS, SubscriberNetworks.DEFAULT, state.resolve("pseudonym.key"),
                Duration.ofDays(1), DEFAULT_K, null, Duration.ofHours(1), state.resolve("audit.log"), null);
    }

    public PrivacyPolicy withMode(PrivacyMode m) {
        return new PrivacyPolicy(m, subscribers, keyFile, keyRotation, k, epsilon, bucket, auditLog, authorisation);
    }

    public PrivacyPolicy withSubscribers(SubscriberNetworks s) {
        return new PrivacyPolicy(mode, s, keyFile, keyRotation, k, epsilon, bucket, auditLog, authorisation);
    }

    public PrivacyPolicy withKeyFile(Path p) {
        return new PrivacyPolicy(mode, subscribers, p, keyRotation, k, epsilon, bucket, auditLog, authorisation);
    }

    public PrivacyPolicy withAuditLog(Path p) {
        return new PrivacyPolicy(mode, subscribers, keyFile, keyRotation, k, epsilon, bucket, p, authorisation);
    }

    public PrivacyPolicy withK(int newK) {
        return new PrivacyPolicy(mode, subscribers, keyFile, keyRotation, newK, epsilon, bucket, auditLog, authorisation);
    }

    public PrivacyPolicy withEpsilon(Double e) {
        return new PrivacyPolicy(mode, subscribers, keyFile, keyRotation, k, e, bucket, auditLog, authorisation);
    }

    public PrivacyPolicy withKeyRotation(Duration d) {
        return new PrivacyPolicy(mode, subscribers, keyFile, d, k, epsilon, bucket, auditLog, authorisation);
    }

    public PrivacyPolicy withBucket(Duration d) {
        return new PrivacyPolicy(mode, subscribers, keyFile, keyRotation, k, epsilon, d, auditLog, authorisation);
    }

    public PrivacyPolicy withAuthorisation(Authorisation a) {
        return new PrivacyPolicy(mode, subscribers, keyFile, keyRotation, k, epsilon, bucket, auditLog, a);
    }

    /**
     * Reads a policy file of {@code key = value} lines over these defaults. Keys: {@code mode},
     * {@code subscriber_networks}, {@code key_file}, {@code key_rotation}, {@code k},
     * {@code epsilon}, {@code bucket}, {@code audit_log}, {@code authorisation}.
     *
     * @throws IllegalArgumentException naming the file and line of anything wrong
     */
    public PrivacyPolicy load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("privacy policy " + file + ": cannot read (" + e.getMessage() + ")");
        }
        PrivacyPolicy p = this;
        Path base = file.toAbsolutePath().getParent();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("privacy policy " + file + " line " + (i + 1) + ": expected 'key = value'");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            try {
                p = switch (key) {
                    case "mode" -> p.withMode(PrivacyMode.parse(value));
                    case "subscriber_networks" -> p.withSubscribers(SubscriberNetworks.parse(value));
                    case "key_file" -> p.withKeyFile(base.resolve(value));
                    case "key_rotation" -> p.withKeyRotation(parseDuration(value));
                    case "k" -> p.withK(Integer.parseInt(value));
                    case "epsilon" -> p.withEpsilon(value.equalsIgnoreCase("none") ? null : Double.parseDouble(value));
                    case "bucket" -> p.withBucket(parseDuration(value));
                    case "audit_log" -> p.withAuditLog(base.resolve(value));
                    case "authorisation" -> p.withAuthorisation(Authorisation.load(base.resolve(value)));
                    default -> throw new IllegalArgumentException("unknown key '" + key + "'");
                };
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("privacy policy " + file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return p;
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 1d}, or an ISO-8601 duration. */
    public static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            char unit = t.charAt(t.length() - 1);
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad duration '" + s + "' (e.g. 30s, 15m, 1h, 1d)");
        }
    }
}
