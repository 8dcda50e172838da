package org.fathom.protocol.middleware;

import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * SOME/IP (AUTOSAR PRS_SOMEIPProtocol) over UDP or TCP: 16-byte headers with a length counting the
 * 8 bytes after it plus payload, protocol version 1, a defined message type (request, fire&forget,
 * notification, response, error, with or without the TP flag) and a return code that is 0 for
 * requests. Over UDP the messages must tile the datagram; over TCP the first whole message
 * decides. Contributes {@code someip.service_id} and {@code someip.sd} for Service Discovery.
 */
public final class SomeIpDissector extends PrefixDissector {
    private static final int[] PORTS = {30490, 30491, 30501};
    private static final Descriptor DESCRIPTOR = Descriptor.both("SOMEIP", "RPC", PORTS, PORTS).withProbeDepth(3);

    public SomeIpDissector() {
        super(DESCRIPTOR, 1500);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        boolean udp = ctx.l4() == 17;
        int p = 0;
        while (true) {
            if (len - p < 16) {
                return udp ? NO : (p > 0 ? found(ctx, b, off) : headerSoFarOk(b, off + p, len - p) ? NEED_MORE : NO);
            }
            long l = u32(b, off + p + 4);
            int type = u8(b, off + p + 14);
            int rc = u8(b, off + p + 15);
            int baseType = type & ~0x20;
            boolean typeOk = baseType == 0x00 || baseType == 0x01 || baseType == 0x02 || baseType == 0x40 || baseType == 0x41
                    || baseType == 0x42 || baseType == 0x80 || baseType == 0x81 || baseType == 0xC0 || baseType == 0xC1;
            boolean request = baseType == 0x00 || baseType == 0x01 || baseType == 0x02 || baseType == 0x40 || baseType == 0x41;
            if (l < 8 || l > 1 << 20 || u8(b, off + p + 12) != 1 || !typeOk || rc > 0x5E || (request && rc != 0)) {
                return NO;
            }
            long end = p + 8 + l;
            if (end > len) {
                return udp ? NO : (end > 1500 ? found(ctx, b, off) : NEED_MORE);
            }
            p = (int) end;
            if (p == len || !udp) {
                return found(ctx, b, off);
            }
        }
    }

    private static int found(FlowContext ctx, byte[] b, int off) {
        int service = (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
        int method = (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
        ctx.put(Registration.SOMEIP_SERVICE_ID.key(), (long) service);
        if (service == 0xFFFF && method == 0x8100) {
            ctx.put(Registration.SOMEIP_SD.key(), Boolean.TRUE);
        }
        return DONE;
    }

    private static boolean headerSoFarOk(byte[] b, int off, int len) {
        return len < 13 || u8(b, off + 12) == 1;
    }
}
