package org.fathom.pipeline;

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
public record AnalysisOptions(FlowConfig flows, ProtocolRegistry protocols, ServiceCatalog services, AddressCatalog addresses) {
    /** Settings with the bundled address catalog. */
    public AnalysisOptions(FlowConfig flows, ProtocolRegistry protocols, ServiceCatalog services) {
        this(flows, protocols, services, AddressCatalog.bundled());
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(FlowConfig.DEFAULTS, ProtocolRegistry.defaults(), ServiceCatalog.bundled(), AddressCatalog.bundled());
    }

    public AnalysisOptions withFlows(FlowConfig f) {
        return new AnalysisOptions(f, protocols, services, addresses);
    }

    public AnalysisOptions withServices(ServiceCatalog s) {
        return new AnalysisOptions(flows, protocols, s, addresses);
    }

    public AnalysisOptions withAddresses(AddressCatalog a) {
        return new AnalysisOptions(flows, protocols, services, a);
    }
}
