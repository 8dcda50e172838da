package org.fathom.protocol.streaming;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * RTMP (Adobe's Real-Time Messaging Protocol specification 1.0, §5.2 handshake) on any TCP port,
 * registered for 1935: the client sends C0 (the version, 3, or 6 for RTMPE) and C1 (1,536 bytes)
 * and then waits for S1 before it sends C2, so the server's first byte (S0) comes when the client
 * has sent exactly 1,537 bytes, and it repeats the client's version. Nothing is recorded.
 */
public final class RtmpDissector implements Dissector {
    static final int C0_C1 = 1 + 1536;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("RTMP", "Media", 1935).withProbeDepth(4);

    /** Bytes the client sent before the server spoke, and the version it asked for. */
    private static final class State {
        int clientBytes;
        int version;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 6 || len <= 0) {
            return NO;
        }
        State st = ctx.state() instanceof State s ? s : null;
        if (fromClient) {
            if (st == null) {
                int v = b[off] & 0xFF;
                if (v != 3 && v != 6) {
                    return NO;
                }
                st = new State();
                st.version = v;
                ctx.setState(st);
            }
            st.clientBytes += len;
            return st.clientBytes > C0_C1 ? NO : NEED_MORE;
        }
        if (st == null) {
            return NO; // the server never speaks first
        }
        return st.clientBytes == C0_C1 && (b[off] & 0xFF) == st.version ? DONE : NO;
    }

    private static final long[] FIRST_CLIENT = Dissector.bytes(3, 6);
    private static final long[] FIRST_SERVER = null;

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : FIRST_SERVER;
    }
}
