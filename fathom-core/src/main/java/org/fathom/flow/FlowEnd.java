package org.fathom.flow;

/** Why a flow record was written; the {@code end_reason} of the record. */
public enum FlowEnd {
    /** No packet within the idle timeout. */
    IDLE("idle"),
    /** TCP closed by FIN from both sides. */
    FIN("fin"),
    /** TCP reset. */
    RST("rst"),
    /** Pushed out because the flow table was full. */
    EVICTED("evicted"),
    /** Still open when the input ended. */
    END_OF_INPUT("end_of_input"),
    /**
     * Not an end: an interim record of a flow that lives on, emitted every active timeout. Its
     * counters, like those of every later record of the same flow, are deltas since the previous
     * record, so a flow's records add up to its totals.
     */
    ACTIVE("active");

    private final String label;

    FlowEnd(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
