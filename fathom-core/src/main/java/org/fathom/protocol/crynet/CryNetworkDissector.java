package org.fathom.protocol.crynet;

import static org.fathom.wire.Bytes.allZero;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * The opening datagram of CryEngine's network layer over UDP (nDPI's CryNetwork). Facts from
 * nDPI's crynet.c: the first byte is the datagram length minus 10, byte 16 is 1, byte 20 is 7 and bytes 24-25 are {@code 03 07}. Held by every client opening of the corpus
 * capture crynet.pcap and required here as whole fields: bytes 1-2 and 5-15 zero, a 32-bit
 * little-endian 1 at 16 and 7 at 20, then {@code 03 07}. Bytes 3-4 (nDPI: {@code 08 ED}) vary
 * between the servers of the capture ({@code 08 ED}, {@code 0B F6}) and are not required. The
 * rest of the flow is encrypted, so only the opening is recognised. It writes no metadata.
 */
public final class CryNetworkDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("CryNetwork", "Game").withProbeDepth(1);
    private static final int MIN = 26;

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (!fromClient || ctx.l4() != 17 || len < MIN || u8(b, off) + 10 != len) {
            return NO;
        }
        boolean header = b[off + 1] == 0 && b[off + 2] == 0 && allZero(b, off, 5, 16)
                && b[off + 16] == 1 && b[off + 17] == 0 && b[off + 18] == 0 && b[off + 19] == 0
                && b[off + 20] == 7 && b[off + 21] == 0 && b[off + 22] == 0 && b[off + 23] == 0
                && b[off + 24] == 3 && b[off + 25] == 7;
        return header ? DONE : NO;
    }
}
