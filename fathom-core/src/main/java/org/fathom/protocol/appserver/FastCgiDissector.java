package org.fathom.protocol.appserver;

import static org.fathom.wire.Bytes.allZero;
import static org.fathom.wire.Bytes.ascii;
import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * FastCGI 1.0 over TCP: the web server opens a request with an FCGI_BEGIN_REQUEST record (version
 * 1, type 1, a request id, content length 8, reserved 0) whose body names a defined role
 * (responder, authorizer, filter) with flags 0/1 and five reserved zero bytes. The HTTP host is
 * read from the FCGI_PARAMS record that follows ({@code HTTP_HOST}, else {@code SERVER_NAME}) and
 * becomes the flow's host and {@code fastcgi.host}.
 */
public final class FastCgiDissector extends PrefixDissector {
    static final int CAP = 8192;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("FastCGI", "Network").withProbeDepth(4);

    public FastCgiDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!fromClient) {
            return matched ? DONE : StreamPrefix.SKIP;
        }
        if (b[off] != 1 || (len >= 2 && b[off + 1] != 1)) {
            return NO;
        }
        if (len < 16) {
            return NEED_MORE;
        }
        int role = u16(b, off + 8);
        if (u16(b, off + 2) == 0 || u16(b, off + 4) != 8 || b[off + 7] != 0 || role < 1 || role > 3
                || (u8(b, off + 10) & 0xFE) != 0 || !allZero(b, off, 11, 16)) {
            return NO;
        }
        int pad = u8(b, off + 6);
        int p = 16 + pad;
        // FCGI_PARAMS record(s): look for the host
        if (len < p + 8) {
            return NEED_MORE;
        }
        if (b[off + p] != 1 || b[off + p + 1] != 4) {
            return DONE;
        }
        int clen = u16(b, off + p + 4);
        if (p + 8 + clen > CAP) {
            return DONE;
        }
        if (len < p + 8 + clen) {
            return NEED_MORE;
        }
        String host = param(b, off + p + 8, clen, "HTTP_HOST");
        if (host == null) {
            host = param(b, off + p + 8, clen, "SERVER_NAME");
        }
        if (host != null && !host.isEmpty()) {
            int colon = host.indexOf(':');
            String h = colon > 0 && host.indexOf(':', colon + 1) < 0 ? host.substring(0, colon) : host;
            ctx.put(Registration.FASTCGI_HOST.key(), h);
            ctx.setHost(h, false);
        }
        return DONE;
    }

    /** The value of name-value pair {@code name} in a PARAMS body, or null. */
    static String param(byte[] b, int off, int len, String name) {
        int i = 0;
        while (i < len) {
            long[] nl = new long[1];
            int p = length(b, off, len, i, nl);
            if (p < 0) {
                return null;
            }
            long[] vl = new long[1];
            int q = length(b, off, len, p, vl);
            if (q < 0 || q + nl[0] + vl[0] > len) {
                return null;
            }
            int v = q + (int) nl[0];
            if (nl[0] == name.length() && regionEquals(b, off, len, q, name)) {
                return ascii(b, off, v, v + (int) vl[0], 200);
            }
            i = v + (int) vl[0];
        }
        return null;
    }

    private static int length(byte[] b, int off, int len, int i, long[] out) {
        if (i >= len) {
            return -1;
        }
        int c = u8(b, off + i);
        if ((c & 0x80) == 0) {
            out[0] = c;
            return i + 1;
        }
        if (i + 4 > len) {
            return -1;
        }
        out[0] = u32(b, off + i) & 0x7FFFFFFFL;
        return i + 4;
    }

    private static final long[] FIRST_CLIENT = org.fathom.protocol.Dissector.bytes(0x01);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}: the client's opening only. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : null;
    }
}
