package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.u16;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Precision Time Protocol version 2 (IEEE 1588-2008/2019 Annex D) on UDP 319 (event messages) and
 * 320 (general messages): versionPTP 2, a message type of the port's class, and a messageLength
 * no larger than the datagram and at least the type's fixed size. Contributes
 * {@code ptp.message_type}.
 */
public final class PtpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("PTPv2", "System", 319, 320).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        boolean event = ctx.serverPort() == 319 || ctx.clientPort() == 319;
        boolean general = ctx.serverPort() == 320 || ctx.clientPort() == 320;
        if ((!event && !general) || len < 34 || (b[off + 1] & 0x0F) != 2) {
            return NO;
        }
        int type = b[off] & 0x0F;
        int min = switch (type) {
            case 0, 1 -> 44; // Sync, Delay_Req
            case 2, 3 -> 54; // Pdelay_Req, Pdelay_Resp
            case 8 -> 44; // Follow_Up
            case 9, 0xA -> 54; // Delay_Resp, Pdelay_Resp_Follow_Up
            case 0xB -> 64; // Announce
            case 0xC -> 44; // Signaling
            case 0xD -> 48; // Management
            default -> -1;
        };
        int ml = u16(b, off + 2);
        if (min < 0 || ml < min || ml > len || (type < 4 ? !event : !general)) {
            return NO;
        }
        ctx.put(Registration.PTP_MESSAGE_TYPE.key(), typeName(type));
        return DONE;
    }

    static String typeName(int t) {
        return switch (t) {
            case 0 -> "sync";
            case 1 -> "delay_req";
            case 2 -> "pdelay_req";
            case 3 -> "pdelay_resp";
            case 8 -> "follow_up";
            case 9 -> "delay_resp";
            case 0xA -> "pdelay_resp_follow_up";
            case 0xB -> "announce";
            case 0xC -> "signaling";
            default -> "management";
        };
    }
}
