package org.fathom.flow;

import java.util.ArrayList;
import java.util.List;

/** Listener that keeps a snapshot of every flow the table ends, in order. */
final class Recorder implements FlowTable.Listener {
    final List<FlowSnapshot> ended = new ArrayList<>();

    @Override
    public void flowEnded(FlowTable table, int flow, FlowEnd reason) {
        ended.add(FlowSnapshot.of(table, flow, reason));
    }

    FlowSnapshot only() {
        if (ended.size() != 1) {
            throw new AssertionError("expected one ended flow, got " + ended);
        }
        return ended.getFirst();
    }
}
