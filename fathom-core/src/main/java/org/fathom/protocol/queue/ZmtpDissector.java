package org.fathom.protocol.queue;

import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * ZeroMQ's ZMTP 3.x (ZeroMQ RFC 23 and 37): each peer opens with a 64-byte greeting whose first 10
 * bytes are the signature FF, 8 padding bytes, 7F; then version major 3 (minor 0 or 1) and a
 * security mechanism name ("NULL", "PLAIN", "CURVE", ...) NUL-padded to 20 bytes. Older ZMTP 2.0
 * peers send the same signature followed by the revision 1. Contributes {@code zeromq.mechanism}.
 */
public final class ZmtpDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("ZeroMQ", "RPC").withProbeDepth(3);

    public ZmtpDissector() {
        super(DESCRIPTOR, 64);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (u8(b, off) != 0xFF) {
            return NO;
        }
        if (len < 11) {
            return NEED_MORE;
        }
        if (u8(b, off + 9) != 0x7F) {
            return NO;
        }
        int major = u8(b, off + 10);
        if (major == 1 || major == 2) {
            return DONE; // ZMTP 2.0 revision byte
        }
        if (major != 3) {
            return NO;
        }
        if (len < 32) {
            return NEED_MORE;
        }
        int n = 0;
        while (n < 20 && b[off + 12 + n] != 0) {
            int c = b[off + 12 + n];
            if (c < 'A' || c > 'Z') {
                return NO;
            }
            n++;
        }
        for (int i = 12 + n; i < 32; i++) {
            if (b[off + i] != 0) {
                return NO;
            }
        }
        if (n == 0 || u8(b, off + 11) > 1) {
            return NO;
        }
        ctx.put(Registration.ZEROMQ_MECHANISM.key(), new String(b, off + 12, n, java.nio.charset.StandardCharsets.US_ASCII));
        return DONE;
    }
}
