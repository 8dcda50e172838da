package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * CAN bus frames carried over UDP by the CAN-over-Ethernet ("CANETH") encapsulation (default port
 * 11898, as in Wireshark's caneth dissector): the magic "ISO11898", version 1, and a CAN frame
 * count of 1..16 whose frames fit the datagram. Named Controller_Area_Network as nDPI does.
 */
public final class CanEthDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Controller_Area_Network", "System", 11898).withProbeDepth(2);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 10 || !regionEquals(b, off, len, 0, "ISO11898") || u8(b, off + 8) != 1) {
            return NO;
        }
        int count = u8(b, off + 9);
        return count >= 1 && count <= 16 && len >= 10 + count * 13 ? DONE : NO;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes('I');

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
