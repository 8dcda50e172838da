package org.fathom.protocol.middleware;

import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u32le;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * CORBA's GIOP/IIOP (OMG CORBA 3.3 part 2, §9.4 "GIOP Message Formats") on any TCP port: the
 * 12-byte message header is the magic {@code GIOP}, version 1.0 to 1.3, the flags byte (bit 0 the
 * byte order, 1.0 has only that bit), a message type 0 to 7 (Request ... Fragment) and the body
 * size in the header's byte order. nDPI calls it {@code Corba}. Nothing is recorded.
 */
public final class GiopDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = new Descriptor("Corba", "RPC", Descriptor.TCP, new int[0], new int[0], 3);

    public GiopDissector() {
        super(DESCRIPTOR, 12);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        String magic = "GIOP";
        for (int i = 0; i < Math.min(len, 4); i++) {
            if (b[off + i] != magic.charAt(i)) {
                return NO;
            }
        }
        if (len < 12) {
            return NEED_MORE;
        }
        int major = u8(b, off + 4);
        int minor = u8(b, off + 5);
        int flags = u8(b, off + 6);
        int type = u8(b, off + 7);
        long size = (flags & 1) != 0 ? u32le(b, off + 8) : u32(b, off + 8);
        if (major != 1 || minor > 3 || (minor == 0 ? flags > 1 : flags > 3) || type > 7 || size > 1 << 24) {
            return NO;
        }
        return MATCH;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes('G');

    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
