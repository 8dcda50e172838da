package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * OpenFlow (ONF switch specification 1.0-1.5) on TCP 6653 and the older 6633: the 8-byte header
 * with a wire version 0x01..0x06, a message type and a length. Either side opens with HELLO (type
 * 0, length 8, or more with hello elements from 1.3 on); a capture that starts later is accepted
 * when a message of a type defined for its version is followed by another of the same version. Contributes {@code openflow.version}.
 */
public final class OpenFlowDissector extends PrefixDissector {
    static final int CAP = 2048;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("OpenFlow", "Network", 6653, 6633).withProbeDepth(3);

    public OpenFlowDissector() {
        super(DESCRIPTOR, CAP, 6653, 6633);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int v = u8(b, off);
        if (v < 1 || v > 6) {
            return NO;
        }
        if (len < 8) {
            return NEED_MORE;
        }
        int type = u8(b, off + 1);
        int l = u16(b, off + 2);
        int maxType = switch (v) {
            case 1 -> 21;
            case 2 -> 23;
            case 3 -> 24;
            case 4 -> 29;
            case 5 -> 33;
            default -> 35;
        };
        if (l < 8 || type > maxType || (type == 0 && v < 4 && l != 8)) {
            return NO;
        }
        if (type == 0 && l > 8) {
            // hello elements: type 1 (version bitmap) with a length of at least 4
            if (len < 12) {
                return NEED_MORE;
            }
            if (u16(b, off + 8) != 1 || u16(b, off + 10) < 4 || u16(b, off + 10) > l - 8) {
                return NO;
            }
        } else if (type != 0) {
            // later in a session: the next message must follow with the same version
            if (l > CAP - 2) {
                return NO;
            }
            if (len < l + 2) {
                return NEED_MORE;
            }
            if (u8(b, off + l) != v || u8(b, off + l + 1) > maxType) {
                return NO;
            }
        }
        ctx.put(Registration.OPENFLOW_VERSION.key(), (long) v);
        return DONE;
    }
}
