package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.u32le;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * KCP (the ARQ protocol of skywind3000/kcp) over UDP: a datagram is one or more 24-byte segment
 * headers (conversation id, command PUSH/ACK/WASK/WINS, fragment, window, timestamp, sequence,
 * una, data length) each followed by its data; all segments belong to the same conversation,
 * only PUSH carries data, windows are non-zero, and the segments tile the datagram exactly; a
 * datagram of a single empty segment is not enough.
 */
public final class KcpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("KCP", "Network").withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 24) {
            return NO;
        }
        long conv = u32le(b, off);
        int p = 0;
        int segments = 0;
        boolean data = false;
        while (p < len) {
            if (p + 24 > len || u32le(b, off + p) != conv) {
                return NO;
            }
            int cmd = u8(b, off + p + 4);
            long dl = u32le(b, off + p + 20);
            int wnd = (b[off + p + 6] & 0xFF) | (b[off + p + 7] & 0xFF) << 8;
            if (cmd < 81 || cmd > 84 || (cmd != 81 && dl != 0) || dl > len - p - 24 || wnd == 0) {
                return NO;
            }
            data |= dl > 0;
            segments++;
            p += 24 + (int) dl;
        }
        // a lone empty segment is too little structure to go by
        return data || segments > 1 ? DONE : NO;
    }
}
