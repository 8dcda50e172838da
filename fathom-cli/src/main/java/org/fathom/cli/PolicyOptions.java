package org.fathom.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.policy.PolicyEngine;
import org.fathom.policy.PolicyException;
import org.fathom.policy.PolicyFile;
import org.fathom.policy.VerdictTable;
import org.fathom.privacy.AuditLog;
import picocli.CommandLine.Option;

/**
 * The policy of commands that run the engine ({@code analyze}, {@code live}, and {@code inline},
 * which acts on it): {@code --policy FILE} (docs/POLICY.md) and the verdict log
 * {@code --verdicts FILE}. Without inline verdicts this is the dry run: records say which rule
 * would have applied, the summary counts hits per rule. A mixin, so each command adds it in one place.
 */
final class PolicyOptions {
    @Option(names = "--policy", paramLabel = "FILE", description = "Apply the policy in FILE (YAML rules: match, action; see docs/POLICY.md). analyze and live: a dry run: flow and call records get policy.rule and policy.action, the summary counts hits per rule. live and inline: SIGHUP reads it again (a bad file keeps the policy in force).")
    Path policy;

    @Option(names = "--verdicts", paramLabel = "FILE", description = "With --policy: write one JSON line per verdict change (a flow, address or media endpoint getting or losing a rule's verdict) to FILE ('-' for standard output); addresses pass the privacy guard.")
    String verdicts;

    @Option(names = "--max-verdicts", paramLabel = "N", description = "With --policy: verdicts held at once (flows with a rule's verdict, flagged addresses, media endpoints); beyond it one is evicted and counted (default: ${DEFAULT-VALUE}).")
    int maxVerdicts = VerdictTable.DEFAULT_CAPACITY;

    /** The policy at work, once {@link #apply} has loaded it; null without {@code --policy}. */
    PolicyEngine engine;

    /**
     * Loads and checks the policy file and adds it to the engine's options.
     *
     * @throws UserError for a bad policy file (file:line: problem) or a bad option
     */
    AnalysisOptions apply(AnalysisOptions options) {
        if (policy == null) {
            if (verdicts != null) {
                throw new UserError("--verdicts needs --policy FILE");
            }
            return options;
        }
        if (maxVerdicts < 1 || maxVerdicts > 1 << 26) {
            throw new UserError("--max-verdicts must be between 1 and " + (1 << 26) + ", not " + maxVerdicts);
        }
        try {
            engine = new PolicyEngine(PolicyFile.load(policy), maxVerdicts);
        } catch (PolicyException e) {
            throw new UserError(e.getMessage());
        }
        return options.withPolicy(engine);
    }

    /** Writes the policy in force to the audit log (the run has started). */
    void audit(AuditLog log) {
        if (engine != null) {
            engine.audit(log);
        }
    }

    /** The summary's policy section, empty without a policy. */
    List<String> summary() {
        return summary(false);
    }

    /** The summary's policy section; {@code inline}: the verdicts were applied, not a dry run. */
    List<String> summary(boolean inline) {
        List<String> l = new ArrayList<>();
        if (engine == null) {
            return l;
        }
        var p = engine.policy();
        l.add(String.format("Policy     %s (%s, %,d rules, sha256 %s): %s",
                p.name(), p.file(), p.rules().size(), p.sha256().substring(0, 16),
                inline ? "applied inline" : "dry run, verdicts as they would have applied"));
        l.add(String.format("%-28s %-11s %10s %14s %14s %8s %9s", "Rule", "Action", "Flows", "Packets", "Bytes", "Calls", "Addresses"));
        for (PolicyEngine.RuleHits h : engine.hits()) {
            String action = h.action().label();
            l.add(String.format("%-28s %-11s %,10d %,14d %14s %,8d %,9d", h.rule() == null ? "(default)" : h.rule(), action,
                    h.flows(), h.packets(), SummaryReport.bytes(h.bytes()), h.calls(), h.addresses()));
        }
        l.add(String.format("Before verdict: %,d packets (%s) passed before their flow's verdict was known",
                engine.packetsBeforeVerdict(), SummaryReport.bytes(engine.bytesBeforeVerdict())));
        if (engine.verdicts().evicted() > 0) {
            l.add(String.format("Verdict table full at %,d: %,d verdicts evicted (their flows fell back to the default)",
                    engine.verdicts().capacity(), engine.verdicts().evicted()));
        }
        return l;
    }
}
