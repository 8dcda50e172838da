package org.fathom.pipeline;

import org.fathom.flow.FlowConfig;
import org.fathom.protocol.ProtocolRegistry;
import org.fathom.protocol.ServiceCatalog;

/**
 * Settings of one analysis run.
 *
 * @param flows     flow table limits and timeouts
 * @param protocols the dissectors to run (immutable, shared by workers)
 * @param services  the service catalog naming applications from host names
 */
public record AnalysisOptions(FlowConfig flows, ProtocolRegistry protocols, ServiceCatalog services) {
    public static AnalysisOptions defaults() {
        return new AnalysisOptions(FlowConfig.DEFAULTS, ProtocolRegistry.defaults(), ServiceCatalog.bundled());
    }

    public AnalysisOptions withFlows(FlowConfig f) {
        return new AnalysisOptions(f, protocols, services);
    }
}
