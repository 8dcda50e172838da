package org.fathom.protocol.remote;

import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.isPrintable;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * BSD rsh (rshd(8)) on TCP 514: the client sends the port number for standard error as ASCII
 * digits (possibly empty) and NUL, then the local user name, remote user name and command, each
 * printable and NUL-terminated. No user name or command is recorded.
 */
public final class RshDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("RSH", "RemoteAccess", 514).withProbeDepth(4);

    public RshDissector() {
        super(DESCRIPTOR, 1100);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (ctx.serverPort() != 514) {
            return NO; // only the server side of 514 is rsh's
        }
        if (!fromClient) {
            return StreamPrefix.SKIP;
        }
        int p = 0;
        while (p < len && p < 6 && b[off + p] >= '0' && b[off + p] <= '9') {
            p++;
        }
        if (p >= len) {
            return p < 6 ? NEED_MORE : NO;
        }
        if (b[off + p] != 0) {
            return NO;
        }
        p++;
        for (int field = 0; field < 3; field++) {
            int max = field < 2 ? 32 : 1024;
            int nul = indexOf(b, off, len, p, Math.min(len, p + max + 1), 0);
            int end = nul < 0 ? Math.min(len, p + max + 1) : nul;
            for (int i = p; i < end; i++) {
                if (!isPrintable(b[off + i] & 0xFF)) {
                    return NO;
                }
            }
            if (nul < 0) {
                return len >= p + max + 1 ? NO : NEED_MORE;
            }
            if (nul == p && field != 2) {
                return NO; // user names are not empty
            }
            p = nul + 1;
        }
        return DONE;
    }
}
