package org.fathom.protocol.appserver;

import static org.fathom.wire.Bytes.allPrintable;
import static org.fathom.wire.Bytes.ascii;
import static org.fathom.wire.Bytes.prefixOf;
import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * Apache JServ Protocol 1.3 over TCP: web server packets start 0x12 0x34 with a length, container
 * packets "AB". The first web server packet is a Forward Request (code 2: a defined method code,
 * then the protocol string "HTTP/..", URI, remote address, remote host and server name as
 * length-prefixed NUL-terminated strings), a Shutdown (7) or a CPing (10, length 1). The server
 * name becomes the flow's host and {@code ajp.server_name}; {@code ajp.method} is the method.
 */
public final class AjpDissector extends PrefixDissector {
    static final int CAP = 8192;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("AJP", "Web", 8009).withProbeDepth(4);
    private static final String[] METHODS = {null, "OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "PROPFIND",
        "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "ACL", "REPORT", "VERSION-CONTROL", "CHECKIN", "CHECKOUT",
        "UNCHECKOUT", "SEARCH", "MKWORKSPACE", "UPDATE", "LABEL", "MERGE", "BASELINE-CONTROL", "MKACTIVITY"};

    public AjpDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!fromClient) {
            return matched ? DONE : StreamPrefix.SKIP;
        }
        if (u8(b, off) != 0x12 || (len >= 2 && u8(b, off + 1) != 0x34)) {
            return NO;
        }
        if (len < 5) {
            return NEED_MORE;
        }
        int n = u16(b, off + 2);
        int code = u8(b, off + 4);
        if (n < 1 || n > 8188) {
            return NO;
        }
        if (code == 7 || code == 10) {
            return n == 1 ? DONE : NO;
        }
        if (code != 2 || n < 2) {
            return NO; // a Forward Request has at least its code and method
        }
        if (len < 4 + n) {
            return n + 4 > CAP ? NO : NEED_MORE;
        }
        int m = u8(b, off + 5);
        if (m < 1 || m >= METHODS.length) {
            return NO;
        }
        int p = 6;
        int[] strings = new int[10];
        for (int k = 0; k < 5; k++) { // protocol, uri, remote addr, remote host, server name
            if (p + 2 > 4 + n) {
                return NO;
            }
            int sl = u16(b, off + p);
            if (sl == 0xFFFF) {
                strings[2 * k] = -1;
                p += 2;
                continue;
            }
            if (p + 2 + sl + 1 > 4 + n || b[off + p + 2 + sl] != 0 || !allPrintable(b, off, p + 2, p + 2 + sl)) {
                return NO;
            }
            strings[2 * k] = p + 2;
            strings[2 * k + 1] = p + 2 + sl;
            p += 3 + sl;
        }
        if (strings[0] < 0 || !prefixOf(b, off + strings[0], strings[1] - strings[0], "HTTP/")
                || strings[1] - strings[0] < 6) {
            return NO;
        }
        ctx.put(Registration.AJP_METHOD.key(), METHODS[m]);
        if (strings[8] > 0 && strings[9] > strings[8]) {
            String server = ascii(b, off, strings[8], strings[9], 200);
            ctx.put(Registration.AJP_SERVER_NAME.key(), server);
            ctx.setHost(server, false);
        }
        return DONE;
    }

    private static final long[] FIRST_CLIENT = org.fathom.protocol.Dissector.bytes(0x12);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}: the client's opening only. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : null;
    }
}
