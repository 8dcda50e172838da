package org.fathom.protocol.fileshare;

import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Apple Filing Protocol over TCP 548: the Data Stream Interface header (Apple "AFP Programming
 * Guide", DSI): flags request (0) or reply (1), a defined command (CloseSession, Command,
 * GetStatus, OpenSession, Tickle, Write, Attention), a request id, an error code or write offset,
 * a total data length, and 4 reserved zero bytes; a request's data length and error field must fit
 * its command (none for CloseSession, GetStatus and Tickle, options for OpenSession, 2 bytes for
 * Attention), and the client's first header is a request.
 */
public final class AfpDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("AFP", "DataTransfer", 548).withProbeDepth(3);

    public AfpDissector() {
        super(DESCRIPTOR, 32, 548);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int flags = u8(b, off);
        if (flags > 1 || (len >= 2 && (u8(b, off + 1) < 1 || u8(b, off + 1) > 8 || u8(b, off + 1) == 7))) {
            return NO;
        }
        if (fromClient && flags != 0) {
            return NO; // a reply never opens the client's stream
        }
        if (len < 16) {
            return NEED_MORE;
        }
        int cmd = u8(b, off + 1);
        long field = u32(b, off + 4);
        long length = u32(b, off + 8);
        if (u32(b, off + 12) != 0 || length > 1 << 24) {
            return NO;
        }
        if (flags == 0) {
            boolean ok = switch (cmd) {
                case 1, 3, 5 -> length == 0 && field == 0;
                case 4 -> length <= 64 && field == 0;
                case 8 -> length == 2 && field == 0;
                case 2 -> length >= 1 && field == 0;
                default -> length >= 1; // Write: the field is the write offset
            };
            if (!ok) {
                return NO;
            }
        }
        return DONE;
    }
}
