package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Cisco Hot Standby Router Protocol on UDP 1985 (IPv4) and 2029 (HSRP for IPv6): version 0/1
 * messages (RFC 2281: 20 bytes, op code hello/coup/resign, a defined state, a hello time
 * shorter than the hold time, a zero reserved byte) and version 2 group state TLVs (type 1, length 40, version 2, op code, state, IP version
 * 4 or 6, group up to 4095). Contributes {@code hsrp.version}.
 */
public final class HsrpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("HSRP", "Network", 1985, 2029).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        int s = ctx.serverPort();
        int c = ctx.clientPort();
        if ((s != 1985 && s != 2029 && c != 1985 && c != 2029) || len < 20) {
            return NO;
        }
        int b0 = u8(b, off);
        if (b0 == 0) {
            int state = u8(b, off + 2);
            boolean stateOk = state == 0 || state == 1 || state == 2 || state == 4 || state == 8 || state == 16;
            if (len != 20 || u8(b, off + 1) > 2 || !stateOk || b[off + 7] != 0 || u8(b, off + 3) == 0 || u8(b, off + 4) <= u8(b, off + 3)) {
                return NO;
            }
            ctx.put(Registration.HSRP_VERSION.key(), 1L);
            return DONE;
        }
        if (b0 == 1 && len >= 42 && u8(b, off + 1) == 40 && u8(b, off + 2) == 2 && u8(b, off + 3) <= 2 && u8(b, off + 4) <= 6
                && (u8(b, off + 5) == 4 || u8(b, off + 5) == 6) && u16(b, off + 6) <= 4095) {
            ctx.put(Registration.HSRP_VERSION.key(), 2L);
            return DONE;
        }
        return NO;
    }
}
