package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * HiSLIP (IVI-6.1, High-Speed LAN Instrument Protocol) on TCP 4880: the 16-byte header, prologue
 * "HS", a defined message type (0..26), and a 64-bit payload length of sane size. A connection
 * opens with Initialize or AsyncInitialize (client) and their responses (server); away from port
 * 4880 only those opening messages are accepted. Contributes {@code hislip.message_type}.
 */
public final class HislipDissector extends PrefixDissector {
    static final int PORT = 4880;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("HiSLIP", "IoT-Scada", PORT).withProbeDepth(4);

    public HislipDissector() {
        super(DESCRIPTOR, 64);
    }

    private static final long[] FIRST = Dissector.bytes('H');

    /** Both directions' messages start with the {@code HS} prologue. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (b[off] != 'H' || (len >= 2 && b[off + 1] != 'S')) {
            return NO;
        }
        if (len >= 3) {
            int t = u8(b, off + 2);
            boolean opening = t == 0 || t == 1 || t == 17 || t == 18;
            boolean onPort = ctx.serverPort() == PORT || ctx.clientPort() == PORT;
            if (t > 26 || (!onPort && !opening)) {
                return NO;
            }
        }
        if (len < 16) {
            return NEED_MORE;
        }
        if (u32(b, off + 8) != 0 || u32(b, off + 12) > 1 << 24) {
            return NO;
        }
        ctx.put(Registration.HISLIP_MESSAGE_TYPE.key(), (long) u8(b, off + 2));
        return DONE;
    }
}
