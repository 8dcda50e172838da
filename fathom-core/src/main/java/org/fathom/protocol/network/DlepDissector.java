package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u16;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Dynamic Link Exchange Protocol (RFC 8175) on port 854: UDP signals start with "DLEP", a Peer
 * Discovery (1) or Peer Offer (2) signal type and a length equal to the rest of the datagram; on
 * TCP the session opens with a Session Initialization message (type 1) whose data items (type,
 * length) fill the message exactly.
 */
public final class DlepDissector extends PrefixDissector {
    static final int PORT = 854;
    private static final int[] PORTS = {PORT};
    private static final Descriptor DESCRIPTOR = Descriptor.both("DLEP", "Network", PORTS, PORTS).withProbeDepth(3);

    public DlepDissector() {
        super(DESCRIPTOR, 1024, PORT);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        if (ctx.l4() == 17) {
            if (len < 8 || !regionEquals(buf, off, len, 0, "DLEP")) {
                return NO;
            }
            int type = u16(buf, off + 4);
            return (type == 1 || type == 2) && u16(buf, off + 6) == len - 8 ? DONE : NO;
        }
        return super.inspect(ctx, fromClient, buf, off, len);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (len < 4) {
            return NEED_MORE;
        }
        int type = u16(b, off);
        int l = u16(b, off + 2);
        if ((fromClient ? type != 1 : type != 2) || l < 4 || l > 1020) {
            return NO;
        }
        if (len < 4 + l) {
            return NEED_MORE;
        }
        int p = 4;
        while (p < 4 + l) {
            if (p + 4 > 4 + l) {
                return NO;
            }
            int il = u16(b, off + p + 2);
            if (u16(b, off + p) == 0 || p + 4 + il > 4 + l) {
                return NO;
            }
            p += 4 + il;
        }
        return DONE;
    }
}
