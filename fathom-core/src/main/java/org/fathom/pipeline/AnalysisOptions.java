package org.fathom.pipeline;

import org.fathom.flow.FlowConfig;

/** Settings of one analysis run. */
public record AnalysisOptions(FlowConfig flows) {
    public static final AnalysisOptions DEFAULTS = new AnalysisOptions(FlowConfig.DEFAULTS);
}
