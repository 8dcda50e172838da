package org.fathom.pipeline;

import java.util.List;
import org.fathom.analysis.PacketAnalyzer;
import org.fathom.flow.FlowConfig;
import org.fathom.protocol.AddressCatalog;
import org.fathom.protocol.ProtocolRegistry;
import org.fathom.protocol.ServiceCatalog;

/**
 * Settings of one analysis run.
 *
 * @param flows     flow table limits and timeouts
 * @param protocols the dissectors to run (immutable, shared by workers)
 * @param services  the service catalog naming applications from host names
 * @param addresses the address catalog naming applications from well-known provider addresses
 */
public record AnalysisOptions(FlowConfig flows, ProtocolRegistry protocols, ServiceCatalog services, AddressCatalog addresses,
                              List<PacketAnalyzer.Factory> analyzers) {
    public AnalysisOptions {
        analyzers = List.copyOf(analyzers);
    }

    /** Settings with the bundled address catalog and no cross-flow analyzers. */
    public AnalysisOptions(FlowConfig flows, ProtocolRegistry protocols, ServiceCatalog services) {
        this(flows, protocols, services, AddressCatalog.bundled(), List.of());
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(FlowConfig.DEFAULTS, ProtocolRegistry.defaults(), ServiceCatalog.bundled(), AddressCatalog.bundled(), List.of());
    }

    public AnalysisOptions withFlows(FlowConfig f) {
        return new AnalysisOptions(f, protocols, services, addresses, analyzers);
    }

    public AnalysisOptions withServices(ServiceCatalog s) {
        return new AnalysisOptions(flows, protocols, s, addresses, analyzers);
    }

    public AnalysisOptions withAddresses(AddressCatalog a) {
        return new AnalysisOptions(flows, protocols, services, a, analyzers);
    }

    /** Adds a cross-flow analyzer (VoIP calls, attack detection) run over every packet. */
    public AnalysisOptions withAnalyzer(PacketAnalyzer.Factory f) {
        List<PacketAnalyzer.Factory> l = new java.util.ArrayList<>(analyzers);
        l.add(f);
        return new AnalysisOptions(flows, protocols, services, addresses, l);
    }
}
