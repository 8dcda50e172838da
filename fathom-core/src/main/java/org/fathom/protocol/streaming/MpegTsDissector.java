package org.fathom.protocol.streaming;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * MPEG transport stream (ISO/IEC 13818-1) carried directly in UDP: the datagram is a whole number
 * (1..7) of 188-byte TS packets, each starting with the sync byte 0x47 and without the transport
 * error indicator.
 */
public final class MpegTsDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("MPEG_TS", "Media").withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 188 || len % 188 != 0 || len > 188 * 7) {
            return NO;
        }
        for (int p = 0; p < len; p += 188) {
            if (b[off + p] != 0x47 || (b[off + p + 1] & 0x80) != 0) {
                return NO;
            }
        }
        return len >= 376 ? DONE : NEED_MORE;
    }
}
