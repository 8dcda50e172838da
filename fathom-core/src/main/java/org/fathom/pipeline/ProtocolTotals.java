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
}
