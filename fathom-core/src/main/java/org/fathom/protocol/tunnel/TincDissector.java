package org.fathom.protocol.tunnel;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * tinc VPN's meta connection (tinc 1.0 protocol, doc "The meta-protocol") on TCP, registered for
 * 655: each side opens with the ID request {@code 0 <name> 17[.<minor>]\n}, the request number 0,
 * the node name (letters, digits, underscore) and protocol version 17. Either side's line decides.
 * The node name is not recorded.
 */
public final class TincDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("TINC", "VPN", 655).withProbeDepth(3);

    public TincDissector() {
        super(DESCRIPTOR, 80);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (len < 2) {
            return len == 1 && b[off] != '0' ? NO : NEED_MORE;
        }
        if (b[off] != '0' || b[off + 1] != ' ') {
            return NO;
        }
        int p = 2;
        while (p < len && p < 2 + 64 && name(b[off + p])) {
            p++;
        }
        if (p == len) {
            return len < 2 + 64 ? NEED_MORE : NO;
        }
        if (p == 2 || b[off + p] != ' ') {
            return NO;
        }
        p++;
        String want = "17";
        for (int i = 0; i < want.length(); i++, p++) {
            if (p >= len) {
                return NEED_MORE;
            }
            if (b[off + p] != want.charAt(i)) {
                return NO;
            }
        }
        if (p < len && b[off + p] == '.') {
            p++;
            int digits = 0;
            while (p < len && b[off + p] >= '0' && b[off + p] <= '9' && digits < 3) {
                p++;
                digits++;
            }
            if (digits == 0 && p < len) {
                return NO;
            }
        }
        if (p >= len) {
            return NEED_MORE;
        }
        return b[off + p] == '\n' ? DONE : NO;
    }

    private static boolean name(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes('0');

    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
