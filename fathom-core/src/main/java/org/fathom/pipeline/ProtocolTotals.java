package org.fathom.pipeline;

/** Packets, bytes and flows of one protocol in a summary. */
public final class ProtocolTotals {
    public final String name;
    public long packets;
    public long bytes;
    public long flows;

    ProtocolTotals(String name) {
        this.name = name;
    }

    public static ProtocolTotals of(String name, long packets, long bytes, long flows) {
        ProtocolTotals t = new ProtocolTotals(name);
        t.packets = packets;
        t.bytes = bytes;
        t.flows = flows;
        return t;
    }
}
