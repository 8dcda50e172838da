package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u32;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * PPTP control connection (RFC 2637) on TCP 1723: each control message has a length, message type
 * 1 (control), the magic cookie 0x1A2B3C4D and a control message type 1..15.
 */
public final class PptpDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("PPTP", "VPN", 1723).withProbeDepth(3);

    public PptpDissector() {
        super(DESCRIPTOR, 32);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (len >= 2 && (u16(b, off) < 12 || u16(b, off) > 512)) {
            return NO;
        }
        if (len >= 4 && u16(b, off + 2) != 1) {
            return NO;
        }
        if (len < 10) {
            return NEED_MORE;
        }
        int type = u16(b, off + 8);
        return u32(b, off + 4) == 0x1A2B3C4DL && type >= 1 && type <= 15 ? DONE : NO;
    }
}
