package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u16le;
import static org.fathom.wire.Bytes.u32le;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Beckhoff ADS over AMS/TCP (Beckhoff Information System, "ADS specification") on TCP 48898: the
 * 6-byte AMS/TCP header (reserved 0, length) and the 32-byte AMS header, whose command id (1..9),
 * state flags (ADS command bit set) and data length must agree with the AMS/TCP length.
 * Contributes {@code ads.command}.
 */
public final class AdsDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("BeckhoffADS", "IoT-Scada", 48898).withProbeDepth(4);

    public AdsDissector() {
        super(DESCRIPTOR, 64);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (b[off] != 0 || (len >= 2 && b[off + 1] != 0)) {
            return NO;
        }
        if (len < 38) {
            return NEED_MORE;
        }
        long total = u32le(b, off + 2);
        int cmd = u16le(b, off + 22);
        int flags = u16le(b, off + 24);
        long data = u32le(b, off + 26);
        if (total < 32 || total > 1 << 24 || data != total - 32 || cmd < 1 || cmd > 9 || (flags & 0x0004) == 0 || (flags & 0x7F00) != 0) {
            return NO;
        }
        ctx.put(Registration.ADS_COMMAND.key(), commandName(cmd));
        return DONE;
    }

    static String commandName(int c) {
        return switch (c) {
            case 1 -> "read_device_info";
            case 2 -> "read";
            case 3 -> "write";
            case 4 -> "read_state";
            case 5 -> "write_control";
            case 6 -> "add_device_notification";
            case 7 -> "delete_device_notification";
            case 8 -> "device_notification";
            default -> "read_write";
        };
    }
}
