package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Teredo (RFC 4380, IPv6 over UDP through NATs): optional authentication and origin indications,
 * then an IPv6 header whose payload length accounts for the rest of the datagram exactly, with a
 * plausible next header, a non-zero hop limit, and a Teredo (2001:0::/32) or link-local address
 * at one end.
 */
public final class TeredoDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Teredo", "Network", 3544).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        int p = 0;
        if (len >= 2 && b[off] == 0 && b[off + 1] == 1) { // authentication indicator
            if (len < 4) {
                return NO;
            }
            p = 4 + u8(b, off + 2) + u8(b, off + 3) + 8 + 1;
        }
        if (len >= p + 2 && b[off + p] == 0 && b[off + p + 1] == 0) { // origin indication
            p += 8;
        }
        if (len < p + 40 || (u8(b, off + p) >> 4) != 6) {
            return NO;
        }
        int next = u8(b, off + p + 6);
        boolean nextOk = next == 0 || next == 6 || next == 17 || next == 43 || next == 44 || next == 58 || next == 59 || next == 60;
        if (u16(b, off + p + 4) != len - p - 40 || !nextOk || u8(b, off + p + 7) == 0) {
            return NO;
        }
        return teredoOrLinkLocal(b, off + p + 8) || teredoOrLinkLocal(b, off + p + 24) ? DONE : NO;
    }

    private static boolean teredoOrLinkLocal(byte[] b, int a) {
        int w0 = u16(b, a);
        return (w0 == 0x2001 && u16(b, a + 2) == 0) || (w0 & 0xFFC0) == 0xFE80;
    }
}
