package org.fathom.wire;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Base of the dissectors that decide on the first bytes of each direction of a flow: it holds the
 * descriptor, the cap of the buffered prefix and an optional port gate, and feeds every chunk to
 * {@link StreamPrefix}, which calls {@link #judge} with the direction's bytes from its start
 * (in place, or from the per-flow buffer once a message was split). A subclass writes only its
 * {@link #judge}; one that must look at a chunk first (a UDP framing, a side that may not speak
 * first) overrides {@link #inspect} and ends with {@code super.inspect(...)}.
 *
 * <p>The port gate is for headers with little entropy: such a dissector only judges flows with
 * one end on one of the gate ports and answers {@link Dissector#NO} to all others.
 */
public abstract class PrefixDissector implements Dissector, StreamPrefix.Judge {
    private final Descriptor descriptor;
    private final int cap;
    private final int[] gate;

    /** A dissector judging flows on any port, buffering up to {@code cap} bytes of a split prefix. */
    protected PrefixDissector(Descriptor descriptor, int cap) {
        this(descriptor, cap, (int[]) null);
    }

    /** A dissector judging only flows with one end on one of {@code gatePorts} (null: any port). */
    protected PrefixDissector(Descriptor descriptor, int cap, int... gatePorts) {
        this.descriptor = descriptor;
        this.cap = cap;
        this.gate = gatePorts;
    }

    @Override
    public final Descriptor descriptor() {
        return descriptor;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        if (gate != null && !onGatePort(ctx)) {
            return NO;
        }
        return StreamPrefix.inspect(ctx, fromClient, buf, off, len, cap, this);
    }

    /** Whether the client or the server port is one of the gate ports (true without a gate). */
    protected final boolean onGatePort(FlowContext ctx) {
        if (gate == null) {
            return true;
        }
        int s = ctx.serverPort();
        int c = ctx.clientPort();
        for (int p : gate) {
            if (p == s || p == c) {
                return true;
            }
        }
        return false;
    }
}
