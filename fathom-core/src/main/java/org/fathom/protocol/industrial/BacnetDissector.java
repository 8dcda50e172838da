package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * BACnet/IP (ANSI/ASHRAE 135 Annex J): the BVLC header, type 0x81, a defined function (0x00..0x0C)
 * and a length equal to the datagram's. Functions that carry an NPDU (Forwarded-NPDU,
 * Distribute-Broadcast-To-Network, Original-Unicast/Broadcast-NPDU) must carry NPDU version 1 with
 * the reserved control bits clear; the fixed-size ones must have their size. Contributes
 * {@code bacnet.bvlc_function}.
 */
public final class BacnetDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("BACnet", "IoT-Scada", 47808).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 4 || u8(b, off) != 0x81) {
            return NO;
        }
        int f = u8(b, off + 1);
        if (f > 0x0C || u16(b, off + 2) != len) {
            return NO;
        }
        int npdu = switch (f) {
            case 0x04 -> 10;
            case 0x09, 0x0A, 0x0B -> 4;
            default -> -1;
        };
        if (npdu >= 0) {
            if (len < npdu + 2 || b[off + npdu] != 0x01 || (b[off + npdu + 1] & 0x50) != 0) {
                return NO;
            }
        } else {
            boolean sizeOk = switch (f) {
                case 0x00 -> len == 6;
                case 0x02, 0x06 -> len == 4;
                case 0x05 -> len == 6;
                case 0x08 -> len == 10;
                case 0x01, 0x03 -> (len - 4) % 10 == 0;
                case 0x07 -> (len - 4) % 10 == 0;
                default -> len > 4; // 0x0C Secure-BVLL
            };
            if (!sizeOk) {
                return NO;
            }
        }
        ctx.put(Registration.BACNET_BVLC_FUNCTION.key(), functionName(f));
        return DONE;
    }

    static String functionName(int f) {
        return switch (f) {
            case 0x00 -> "result";
            case 0x01 -> "write_bdt";
            case 0x02 -> "read_bdt";
            case 0x03 -> "read_bdt_ack";
            case 0x04 -> "forwarded_npdu";
            case 0x05 -> "register_foreign_device";
            case 0x06 -> "read_fdt";
            case 0x07 -> "read_fdt_ack";
            case 0x08 -> "delete_fdt_entry";
            case 0x09 -> "distribute_broadcast_to_network";
            case 0x0A -> "original_unicast_npdu";
            case 0x0B -> "original_broadcast_npdu";
            default -> "secure_bvll";
        };
    }
}
