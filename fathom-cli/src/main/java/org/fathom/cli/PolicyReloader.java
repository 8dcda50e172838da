package org.fathom.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.fathom.policy.Policy;
import org.fathom.policy.PolicyEngine;
import org.fathom.policy.PolicyException;
import org.fathom.policy.PolicyFile;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;

/**
 * Reloads the policy of a running {@code fathom live} or {@code fathom inline} (SIGHUP, after the
 * rule files of {@link RuleReloader}): the file is read and validated off to the side; a good one
 * is put in force with {@link PolicyEngine#reload} (flows, calls, alerts, address verdicts and
 * token buckets stay; live flows are decided again at their next packet), a bad one leaves the
 * policy in force and says why in one line (file:line: problem). Either way the audit log gets a
 * {@code policy_reload} entry with the file's SHA-256 and the outcome. Never throws.
 */
final class PolicyReloader {
    private final Path file;
    private final PolicyEngine engine;
    private final PrivacyGuard guard;
    private final AuditLog audit;
    private final Consumer<Policy> accepted;

    /**
     * @param accepted told of each policy put in force, after the engine (inline: the queue's
     *                 translation of verdicts); may be null
     */
    PolicyReloader(Path file, PolicyEngine engine, PrivacyGuard guard, AuditLog audit, Consumer<Policy> accepted) {
        this.file = file;
        this.engine = engine;
        this.guard = guard;
        this.audit = audit;
        this.accepted = accepted;
    }

    /** The reloader of {@code options}' policy, or null when the run has none. */
    static PolicyReloader of(PolicyOptions options, PrivacyGuard guard, Consumer<Policy> accepted) {
        return options.engine == null ? null
                : new PolicyReloader(options.policy, options.engine, guard, guard.audit(), accepted);
    }

    /** Reads the policy file again; returns the line that says what happened. */
    synchronized String reload() {
        byte[] bytes = null;
        Policy next;
        try {
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException | RuntimeException e) {
                // PolicyFile.load says it in its words (no such file, a folder, unreadable)
            }
            next = PolicyFile.load(file);
        } catch (PolicyException e) {
            String line = "fathom: SIGHUP: policy not reloaded, the policy in force stays (" + engine.policy().name() + ", "
                    + rules(engine.policy()) + "): " + e.getMessage();
            return line + record(null, bytes == null ? null : PolicyFile.sha256(bytes), e.getMessage());
        } catch (RuntimeException e) {
            String problem = file + ": " + RunOptions.message(e);
            return "fathom: SIGHUP: policy not reloaded, the policy in force stays: " + problem + record(null, null, problem);
        }
        PolicyEngine.Reloaded r;
        try {
            r = engine.reload(next, guard, wallNanos());
        } catch (RuntimeException e) {   // the verdict log closed under us (the run is ending): the policy is in force
            r = null;
        }
        if (accepted != null) {
            accepted.accept(next);
        }
        String line = String.format("fathom: SIGHUP: policy reloaded: %s from %s (%s, default %s, sha256 %s); "
                        + "live flows are decided again at their next packet%s", next.name(), file, rules(next),
                next.fallback().action().label(), next.sha256().substring(0, 16),
                r == null || r.lifted().isEmpty() ? "" : "; " + r.lifted().size() + " verdicts of removed rules lifted");
        return line + record(next, null, null);
    }

    /** The audit entry; empty, or what went wrong with it (to add to the line). */
    private String record(Policy next, String sha256, String problem) {
        try {
            engine.auditReload(audit, next, file.toString(), sha256, problem);
            return "";
        } catch (RuntimeException e) {
            return " (the audit log could not record it: " + RunOptions.message(e) + ")";
        }
    }

    private static String rules(Policy p) {
        int n = p.rules().size();
        return n + (n == 1 ? " rule" : " rules");
    }

    private static long wallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * What SIGHUP does in {@code live} and {@code inline}: the rule files, then the policy, one
     * line each on {@code err} (only the policy's when there are no rule files but a policy).
     */
    static Runnable hangup(RuleReloader rules, PolicyReloader policy, java.io.PrintStream err) {
        return () -> {
            if (policy == null || rules.hasFiles()) {
                err.println(rules.reload());
            }
            if (policy != null) {
                err.println(policy.reload());
            }
        };
    }
}
