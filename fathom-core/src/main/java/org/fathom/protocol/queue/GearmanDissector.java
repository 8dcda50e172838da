package org.fathom.protocol.queue;

import static org.fathom.wire.Bytes.prefixOf;
import static org.fathom.wire.Bytes.u32;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Gearman job server protocol (gearman.org "Protocol"), binary packets: magic "\0REQ" or "\0RES",
 * a defined packet type (1..42) and a data size. Contributes {@code gearman.packet_type}.
 */
public final class GearmanDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Gearman", "RPC", 4730).withProbeDepth(4);

    public GearmanDissector() {
        super(DESCRIPTOR, 64);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!prefixOf(b, off, len, "\0REQ") && !prefixOf(b, off, len, "\0RES")) {
            return NO;
        }
        if (len < 12) {
            return NEED_MORE;
        }
        long type = u32(b, off + 4);
        long size = u32(b, off + 8);
        if (type < 1 || type > 42 || size > 1 << 26) {
            return NO;
        }
        ctx.put(Registration.GEARMAN_PACKET_TYPE.key(), type);
        return DONE;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0x00);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
