package org.fathom.pipeline;

import org.fathom.lifecycle.FlowEvents;
import java.util.List;
import org.fathom.analysis.PacketAnalyzer;
import org.fathom.flow.FlowConfig;
import org.fathom.protocol.AddressCatalog;
import org.fathom.protocol.ProtocolModules;
import org.fathom.protocol.ProtocolRegistry;
import org.fathom.protocol.ServiceCatalog;

/**
 * Settings of one analysis run.
 *
 * @param flows     flow table limits and timeouts
 * @param protocols the dissectors to run (immutable, shared by workers)
 * @param services  the service catalog naming applications from host names
 * @param addresses the address catalog naming applications from well-known provider addresses
 * @param policy    the policy to apply (verdicts, dry-run fields, hit counts), or null for none
 */
public record AnalysisOptions(FlowConfig flows, ProtocolRegistry protocols, ServiceCatalog services, AddressCatalog addresses,
                              List<PacketAnalyzer.Factory> analyzers, List<FlowEvents.Factory> flowEvents,
                              org.fathom.policy.PolicyEngine policy) {
    public AnalysisOptions {
        analyzers = List.copyOf(analyzers);
        flowEvents = List.copyOf(flowEvents);
    }

    public AnalysisOptions(FlowConfig flows, ProtocolRegistry protocols, ServiceCatalog services, AddressCatalog addresses,
                           List<PacketAnalyzer.Factory> analyzers, List<FlowEvents.Factory> flowEvents) {
        this(flows, protocols, services, addresses, analyzers, flowEvents, null);
    }

    /**
     * Applies a policy in every run of the engine (docs/POLICY.md): flows get their verdict when
     * their facts are known, alerts and calls through the analyzers' events; records carry the
     * rule and action; verdict changes leave through the guard. Null removes it.
     */
    public AnalysisOptions withPolicy(org.fathom.policy.PolicyEngine p) {
        return new AnalysisOptions(flows, protocols, services, addresses, analyzers, flowEvents, p);
    }

    public AnalysisOptions(FlowConfig flows, ProtocolRegistry protocols, ServiceCatalog services, AddressCatalog addresses,
                           List<PacketAnalyzer.Factory> analyzers) {
        this(flows, protocols, services, addresses, analyzers, List.of());
    }

    /** Settings with the bundled address catalog and no cross-flow analyzers. */
    public AnalysisOptions(FlowConfig flows, ProtocolRegistry protocols, ServiceCatalog services) {
        this(flows, protocols, services, AddressCatalog.bundled(), List.of());
    }

    /**
     * Starts reading the protocol modules and the bundled service and address catalogs on a
     * background thread (about a tenth of a second), so that a command's own set-up (options,
     * audit log, key, outputs) overlaps it; {@link #defaults} then finds them read, or waits for
     * the reading under way. A failure here is left for {@link #defaults} to meet and report.
     */
    public static void preload() {
        Thread.ofPlatform().daemon().name("fathom-preload").start(() -> {
            try {
                ProtocolModules.probes();
                ServiceCatalog.bundled();
                AddressCatalog.bundled();
            } catch (RuntimeException | LinkageError e) {
                // defaults() reads them again on the command's thread and says what is wrong
            }
        });
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(FlowConfig.DEFAULTS, ProtocolRegistry.defaults(), ServiceCatalog.bundled(), AddressCatalog.bundled(), List.of());
    }

    public AnalysisOptions withFlows(FlowConfig f) {
        return new AnalysisOptions(f, protocols, services, addresses, analyzers, flowEvents, policy);
    }

    public AnalysisOptions withServices(ServiceCatalog s) {
        return new AnalysisOptions(flows, protocols, s, addresses, analyzers, flowEvents, policy);
    }

    public AnalysisOptions withAddresses(AddressCatalog a) {
        return new AnalysisOptions(flows, protocols, services, a, analyzers, flowEvents, policy);
    }

    /**
     * The operator's standard set of cross-flow analyzers, the same for every command: VoIP call
     * analysis (call records, counted into {@code callStats}) and attack detection (with per-network
     * thresholds, none for the defaults). Both are always on: cheap for traffic they do not
     * concern, and the summary lists calls and alerts first.
     */
    public AnalysisOptions withStandardAnalyzers(org.fathom.voip.CallConfig calls, org.fathom.voip.CallStats callStats,
                                                 List<org.fathom.security.AttackDetector.NetworkThresholds> thresholds) {
        return withAnalyzer(org.fathom.voip.CallAnalyzer.factory(calls, callStats))
                .withAnalyzer(thresholds.isEmpty() ? org.fathom.security.AttackDetector.factory()
                        : org.fathom.security.AttackDetector.factory(thresholds));
    }

    /**
     * The standard analyzers with attack thresholds that may be replaced while the run goes on
     * ({@code fathom live} reloads them on SIGHUP), counting alerts raised and ended into {@code alerts}.
     */
    public AnalysisOptions withStandardAnalyzers(org.fathom.voip.CallConfig calls, org.fathom.voip.CallStats callStats,
                                                 org.fathom.security.AttackDetector.Rules thresholds,
                                                 org.fathom.security.AlertCounts alerts) {
        return withAnalyzer(org.fathom.voip.CallAnalyzer.factory(calls, callStats))
                .withAnalyzer(org.fathom.security.AttackDetector.factory(thresholds, alerts));
    }

    /** Adds a cross-flow analyzer (VoIP calls, attack detection) run over every packet. */
    public AnalysisOptions withAnalyzer(PacketAnalyzer.Factory f) {
        List<PacketAnalyzer.Factory> l = new java.util.ArrayList<>(analyzers);
        l.add(f);
        return new AnalysisOptions(flows, protocols, services, addresses, l, flowEvents, policy);
    }

    /** Adds a listener to the flow lifecycle (started, classified, ended), one instance per worker. */
    public AnalysisOptions withFlowEvents(FlowEvents.Factory f) {
        List<FlowEvents.Factory> l = new java.util.ArrayList<>(flowEvents);
        l.add(f);
        return new AnalysisOptions(flows, protocols, services, addresses, analyzers, l, policy);
    }
}
