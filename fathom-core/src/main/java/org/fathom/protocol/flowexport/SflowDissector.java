package org.fathom.protocol.flowexport;

import static org.fathom.wire.Bytes.u32;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * sFlow version 5 (sflow.org) over UDP: version 5, agent address type IPv4 or IPv6, then a sample
 * count whose samples (enterprise/format tag, length) tile the datagram exactly.
 */
public final class SflowDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("sFlow", "Network", 6343).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 28 || u32(b, off) != 5) {
            return NO;
        }
        long type = u32(b, off + 4);
        int p = type == 1 ? 12 : type == 2 ? 24 : -1;
        if (p < 0 || len < p + 16) {
            return NO;
        }
        long samples = u32(b, off + p + 12);
        p += 16;
        if (samples < 1 || samples > 256) {
            return NO;
        }
        for (long s = 0; s < samples; s++) {
            if (p + 8 > len) {
                return NO;
            }
            long tag = u32(b, off + p);
            long l = u32(b, off + p + 4);
            int format = (int) (tag & 0xFFF);
            if ((tag >>> 12) == 0 && (format < 1 || format > 4)) {
                return NO;
            }
            if (l > len - p - 8 || (l & 3) != 0) {
                return NO;
            }
            p += 8 + (int) l;
        }
        return p == len ? DONE : NO;
    }
}
