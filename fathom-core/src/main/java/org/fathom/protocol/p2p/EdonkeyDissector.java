package org.fathom.protocol.p2p;

import static org.fathom.wire.Bytes.u32le;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * eDonkey2000/eMule over TCP: packets are a protocol byte (0xE3 eDonkey, 0xC5 eMule extensions), a
 * little-endian size counting the opcode and data, and an opcode. A connection opens with
 * OP_HELLO / OP_LOGINREQUEST (0x01), which carries a 16-byte user hash (preceded by its size 16
 * between clients), so the size is at least 17 and the whole packet must fit the size.
 */
public final class EdonkeyDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("eDonkey", "Download", 4662).withProbeDepth(3);

    public EdonkeyDissector() {
        super(DESCRIPTOR, 4096);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int proto = u8(b, off);
        if (!fromClient || (proto != 0xE3 && proto != 0xC5)) {
            return NO;
        }
        if (len < 6) {
            return NEED_MORE;
        }
        long size = u32le(b, off + 1);
        if (u8(b, off + 5) != 0x01 || size < 17 || size > 4000) {
            return NO;
        }
        if (len < 5 + size) {
            return NEED_MORE;
        }
        // a hello between clients carries the hash size 16 before the hash
        return len == 5 + size || u8(b, off + 5 + (int) size) == 0xE3 || u8(b, off + 5 + (int) size) == 0xC5 || u8(b, off + 6) == 0x10
                ? DONE : NO;
    }
}
