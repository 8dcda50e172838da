package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * NAT Port Mapping Protocol (RFC 6886) on UDP 5351: version 0 requests (public address: 2 bytes;
 * map UDP/TCP: 12 bytes with a reserved zero field) and responses (opcode + 128, a result code of
 * at most 5; 12 bytes for the public address, 16 for a mapping). Contributes {@code nat_pmp.opcode}.
 */
public final class NatPmpDissector implements Dissector {
    static final int PORT = 5351;
    private static final Descriptor DESCRIPTOR = Descriptor.udp("NAT-PMP", "Network", PORT).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if ((ctx.serverPort() != PORT && ctx.clientPort() != PORT) || len < 2 || b[off] != 0) {
            return NO;
        }
        int op = u8(b, off + 1);
        boolean ok = switch (op) {
            case 0 -> len == 2;
            case 1, 2 -> len == 12 && u16(b, off + 2) == 0;
            case 128 -> len == 12 && u16(b, off + 2) <= 5;
            case 129, 130 -> len == 16 && u16(b, off + 2) <= 5;
            default -> false;
        };
        if (!ok) {
            return NO;
        }
        ctx.put(Registration.NAT_PMP_OPCODE.key(), switch (op & 0x7F) {
            case 0 -> "public_address";
            case 1 -> "map_udp";
            default -> "map_tcp";
        });
        return DONE;
    }
}
