package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * HART-IP (FieldComm Group HCF_SPEC-085), TCP on port 5094 and UDP on any port: the 8-byte header, version 1 or 2, a
 * defined message type (request, response, publish, error, NAK) and message id (session initiate,
 * close, keep alive, token-passing PDU, direct PDU, audit log), status 0 in requests, and a byte
 * count covering the header that fits the message id (13 for session initiate, 8 for close and keep
 * alive); over UDP it equals the datagram length, over TCP the whole message is awaited. Contributes {@code hart_ip.message_id}.
 */
public final class HartIpDissector extends PrefixDissector {
    static final int PORT = 5094;
    private static final int[] PORTS = {PORT};
    private static final Descriptor DESCRIPTOR = Descriptor.both("HART-IP", "IoT-Scada", PORTS, PORTS).withProbeDepth(4);

    public HartIpDissector() {
        super(DESCRIPTOR, 1100);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        if (ctx.l4() == 6 && ctx.serverPort() != PORT && ctx.clientPort() != PORT) {
            return NO; // over UDP the exact byte count carries the check on any port
        }
        return super.inspect(ctx, fromClient, buf, off, len);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int v = u8(b, off);
        if (v != 1 && v != 2) {
            return NO;
        }
        if (len >= 2) {
            int type = u8(b, off + 1) & 0x0F;
            if (type > 3 && type != 15) {
                return NO;
            }
        }
        if (len >= 3 && u8(b, off + 2) > 5) {
            return NO;
        }
        if (len >= 4 && (u8(b, off + 1) & 0x0F) == 0 && u8(b, off + 3) != 0) {
            return NO; // requests carry status 0
        }
        if (len < 8) {
            return ctx.l4() == 17 ? NO : NEED_MORE;
        }
        int count = u16(b, off + 6);
        int id = u8(b, off + 2);
        boolean sizeOk = switch (id) {
            case 0 -> count == 13;
            case 1, 2 -> count == 8;
            default -> count > 8 && count <= 1024;
        };
        if (!sizeOk || (ctx.l4() == 17 && count != len)) {
            return NO;
        }
        if (ctx.l4() == 6 && len < count) {
            return NEED_MORE;
        }
        ctx.put(Registration.HART_IP_MESSAGE_ID.key(), messageName(u8(b, off + 2)));
        return DONE;
    }

    static String messageName(int id) {
        return switch (id) {
            case 0 -> "session_initiate";
            case 1 -> "session_close";
            case 2 -> "keep_alive";
            case 3 -> "token_passing_pdu";
            case 4 -> "direct_pdu";
            default -> "read_audit_log";
        };
    }
}
