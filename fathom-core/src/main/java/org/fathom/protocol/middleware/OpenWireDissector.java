package org.fathom.protocol.middleware;

import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Apache ActiveMQ's OpenWire (activemq.apache.org "OpenWire Version 2 Specification"), registered
 * for TCP 61616: both sides open with a WireFormatInfo command, a 4-byte size, the data type 1
 * and the magic {@code ActiveMQ}. Nothing is recorded.
 */
public final class OpenWireDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("OpenWire", "RPC", 61616).withProbeDepth(3);

    public OpenWireDissector() {
        super(DESCRIPTOR, 13);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (len >= 1 && b[off] != 0) {
            return NO; // the size is below 2^20: its first byte is zero
        }
        if (len >= 5 && (u8(b, off + 4) != 1 || u32(b, off) < 9 || u32(b, off) > 1 << 20)) {
            return NO;
        }
        String magic = "ActiveMQ";
        for (int i = 5; i < Math.min(len, 13); i++) {
            if (b[off + i] != magic.charAt(i - 5)) {
                return NO;
            }
        }
        return len < 13 ? NEED_MORE : MATCH;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0);

    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
