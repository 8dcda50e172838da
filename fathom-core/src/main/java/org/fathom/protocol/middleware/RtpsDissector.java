package org.fathom.protocol.middleware;

import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * RTPS, the wire protocol of DDS (OMG DDSI-RTPS 2.x, §9.4.4 "Header"), used by ROS 2 and industrial
 * middleware, on UDP (registered for 7400/7401, the discovery ports of domain 0): each datagram
 * starts with {@code RTPS}, protocol version 2.x, a vendor id and a 12-byte GUID prefix, followed by
 * submessages whose first id is a defined one. Nothing is recorded.
 */
public final class RtpsDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("RTPS", "RPC", 7400, 7401).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 24 || b[off] != 'R' || b[off + 1] != 'T' || b[off + 2] != 'P' || b[off + 3] != 'S') {
            return NO;
        }
        int major = u8(b, off + 4);
        int minor = u8(b, off + 5);
        int sub = u8(b, off + 20);
        boolean known = sub >= 0x01 && sub <= 0x16 || sub >= 0x80; // defined ids, or vendor-specific
        return major == 2 && minor <= 5 && known ? DONE : NO;
    }

    private static final long[] FIRST = Dissector.bytes('R');

    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
