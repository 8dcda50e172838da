package org.fathom.protocol.middleware;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * HAProxy's PROXY protocol (haproxy.org "The PROXY protocol", versions 1 and 2), which a load
 * balancer puts before the client's own bytes: version 1 is the line {@code PROXY TCP4|TCP6|UNKNOWN ...\r\n},
 * version 2 the 12-byte signature {@code \r\n\r\n\0\r\nQUIT\n}, then version 2 with command LOCAL or
 * PROXY, a known family/transport and a length. nDPI calls it {@code HAProxy}. The client
 * addresses it carries are not recorded.
 */
public final class ProxyProtocolDissector extends PrefixDissector {
    static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final Descriptor DESCRIPTOR = new Descriptor("HAProxy", "Web", Descriptor.TCP, new int[0], new int[0], 2);

    public ProxyProtocolDissector() {
        super(DESCRIPTOR, 108);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!fromClient) {
            return matched ? org.fathom.wire.StreamPrefix.SKIP : NO;
        }
        if (len > 0 && b[off] == 'P') {
            return v1(b, off, len);
        }
        for (int i = 0; i < Math.min(len, V2.length); i++) {
            if (b[off + i] != V2[i]) {
                return NO;
            }
        }
        if (len < 16) {
            return NEED_MORE;
        }
        int verCmd = u8(b, off + 12);
        int fam = u8(b, off + 13);
        int length = u16(b, off + 14);
        boolean family = fam == 0x00 || fam == 0x11 || fam == 0x12 || fam == 0x21 || fam == 0x22 || fam == 0x31 || fam == 0x32;
        return (verCmd == 0x20 || verCmd == 0x21) && family && length <= 2048 ? DONE : NO;
    }

    private static int v1(byte[] b, int off, int len) {
        String[] heads = {"PROXY TCP4 ", "PROXY TCP6 ", "PROXY UNKNOWN"};
        boolean maybe = false;
        for (String h : heads) {
            int n = Math.min(len, h.length());
            boolean same = true;
            for (int i = 0; i < n; i++) {
                if (b[off + i] != h.charAt(i)) {
                    same = false;
                    break;
                }
            }
            if (same && len >= h.length()) {
                // the whole line is at most 107 bytes and ends in CRLF
                for (int i = h.length(); i < Math.min(len, 107); i++) {
                    if (b[off + i] == '\r') {
                        return i + 1 < len ? (b[off + i + 1] == '\n' ? DONE : NO) : NEED_MORE;
                    }
                    int c = b[off + i] & 0xFF;
                    if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == ' ')) {
                        return NO;
                    }
                }
                return len >= 107 ? NO : NEED_MORE;
            }
            maybe |= same;
        }
        return maybe ? NEED_MORE : NO;
    }

    private static final long[] FIRST_CLIENT = org.fathom.protocol.Dissector.bytes('P', 0x0D);
    private static final long[] FIRST_SERVER = null;

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : FIRST_SERVER;
    }
}
