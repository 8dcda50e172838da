package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u16le;
import static org.fathom.wire.Bytes.u32le;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * EtherNet/IP encapsulation (ODVA, CIP Networks Library Vol. 2, ch. 2) on TCP/UDP 44818: a 24-byte
 * little-endian header with a defined command, a data length, a status of a defined value and
 * options 0. RegisterSession must carry 4 bytes of data with protocol version 1; the list requests
 * carry none. Over UDP the length must account for the whole datagram. Contributes
 * {@code enip.command}.
 */
public final class EtherNetIpDissector extends PrefixDissector {
    static final int PORT = 44818;
    private static final int[] PORTS = {PORT};
    private static final Descriptor DESCRIPTOR = Descriptor.both("EthernetIP", "Network", PORTS, PORTS).withProbeDepth(4);

    public EtherNetIpDissector() {
        super(DESCRIPTOR, 64, PORT);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (len >= 2 && commandName(u16le(b, off)) == null) {
            return NO;
        }
        if (len < 24) {
            return ctx.l4() == 17 ? NO : NEED_MORE;
        }
        int cmd = u16le(b, off);
        int dlen = u16le(b, off + 2);
        long status = u32le(b, off + 8);
        if (u32le(b, off + 20) != 0 || status > 0x69) {
            return NO;
        }
        if (ctx.l4() == 17 && 24 + dlen != len) {
            return NO;
        }
        boolean request = status == 0 && !matched;
        if (cmd == 0x0065) {
            if (dlen != 4) {
                return NO;
            }
            if (len < 26) {
                return NEED_MORE;
            }
            if (u16le(b, off + 24) != 1) {
                return NO;
            }
        } else if (request && fromClient && (cmd == 0x0004 || cmd == 0x0063 || cmd == 0x0064) && dlen != 0 && ctx.l4() == 6) {
            return NO;
        }
        ctx.put(Registration.ENIP_COMMAND.key(), commandName(cmd));
        return DONE;
    }

    static String commandName(int cmd) {
        return switch (cmd) {
            case 0x0004 -> "list_services";
            case 0x0063 -> "list_identity";
            case 0x0064 -> "list_interfaces";
            case 0x0065 -> "register_session";
            case 0x0066 -> "unregister_session";
            case 0x006F -> "send_rr_data";
            case 0x0070 -> "send_unit_data";
            case 0x0072 -> "indicate_status";
            case 0x0073 -> "cancel";
            default -> null;
        };
    }
}
