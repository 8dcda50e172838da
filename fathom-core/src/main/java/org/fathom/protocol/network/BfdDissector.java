package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Bidirectional Forwarding Detection control packets (RFC 5880/5881/5883) on UDP 3784 (single hop),
 * 4784 (multihop) and 3785 (echo port): version 1, a defined diagnostic, the multipoint bit clear,
 * a non-zero detect multiplier and own discriminator, and a length equal to the datagram (24
 * bytes, more with the authentication section when the A bit is set). Contributes
 * {@code bfd.state}.
 */
public final class BfdDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("BFD", "Network", 3784, 4784, 3785).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        int s = ctx.serverPort();
        int c = ctx.clientPort();
        boolean port = s == 3784 || s == 4784 || s == 3785 || c == 3784 || c == 4784 || c == 3785;
        if (!port || len < 24) {
            return NO;
        }
        int b0 = u8(b, off);
        int b1 = u8(b, off + 1);
        boolean auth = (b1 & 0x04) != 0;
        if ((b0 >> 5) != 1 || (b0 & 0x1F) > 8 || (b1 & 0x01) != 0 || u8(b, off + 2) == 0 || u8(b, off + 3) != len
                || (auth ? len <= 24 : len != 24) || u32(b, off + 4) == 0) {
            return NO;
        }
        ctx.put(Registration.BFD_STATE.key(), switch (b1 >> 6) {
            case 0 -> "admin_down";
            case 1 -> "down";
            case 2 -> "init";
            default -> "up";
        });
        return DONE;
    }
}
