package org.fathom.lifecycle;

import org.fathom.flow.FlowEnd;
import org.fathom.flow.FlowTable;
import org.fathom.protocol.Classification;

/**
 * The life of a flow, as the engine sees it: started, classified, ended. This is where something
 * that acts on flows while they live plugs in (a policy that blocks or marks a flow the moment its
 * application is known, a live dashboard). Records (final and interim) still leave only through
 * the privacy guard; these events carry the flow table and the flow's id, valid during the call.
 *
 * <p>Each worker has its own instance ({@link Factory}) and calls it on its own thread, in packet
 * order; the flow's packets are all in that worker. Calls are on the per-packet path: keep them
 * cheap, allocate nothing for flows you ignore, never throw for a hostile flow.
 */
public interface FlowEvents {
    /** A flow's first packet was accounted. */
    default void started(FlowTable table, int flow) {
    }

    /**
     * The flow's protocol and application are known (a dissector recognised it, another flow
     * announced it, or inspection gave up and the fallbacks decided): at most once per flow, and
     * not at all for a flow that ends before it carried payload.
     */
    default void classified(FlowTable table, int flow, Classification classification) {
    }

    /** The flow ends (its record is on its way to the guard); its id is free after the call. */
    default void ended(FlowTable table, int flow, FlowEnd reason) {
    }

    /** Makes one instance per worker. */
    @FunctionalInterface
    interface Factory {
        FlowEvents create(int worker);
    }
}
