package org.fathom.protocol.middleware;

import static org.fathom.wire.Bytes.prefixOf;
import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Java RMI transport protocol (Java SE "RMI Wire Protocol"): the client opens with the magic
 * "JRMI", version 2, and a protocol of StreamProtocol (0x4B), SingleOpProtocol (0x4C) or
 * MultiplexProtocol (0x4D).
 */
public final class JrmiDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("JRMI", "RPC", 1099).withProbeDepth(3);

    public JrmiDissector() {
        super(DESCRIPTOR, 16);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!prefixOf(b, off, len, "JRMI")) {
            return NO;
        }
        if (len < 7) {
            return NEED_MORE;
        }
        int p = u8(b, off + 6);
        return u16(b, off + 4) == 2 && p >= 0x4B && p <= 0x4D ? DONE : NO;
    }

    private static final long[] FIRST_CLIENT = org.fathom.protocol.Dissector.bytes('J');

    /** See {@link org.fathom.protocol.Dissector#firstBytes}: the client's opening only. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : null;
    }
}
