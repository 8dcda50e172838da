package org.fathom.protocol.git;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.text.Ascii;
import org.fathom.wire.PrefixDissector;

/**
 * The git daemon protocol (git's Documentation/gitprotocol-pack): the client's first pkt-line is
 * four hexadecimal digits giving the line's length (themselves included), then
 * {@code git-upload-pack}, {@code git-receive-pack} or {@code git-upload-archive}, a space, the
 * repository path, NUL, and optionally {@code host=<host>} NUL. Contributes {@code git.host}
 * (also given to the service catalog).
 */
public final class GitDissector extends PrefixDissector {
    static final int CAP = 1024;
    private static final String[] SERVICES = {"git-upload-pack ", "git-receive-pack ", "git-upload-archive "};
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Git", "Collaborative", 9418).withProbeDepth(3);

    public GitDissector() {
        super(DESCRIPTOR, CAP);
    }

    private static final long[] CLIENT_FIRST = Dissector.bytes('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f');
    private static final long[] NONE = Dissector.bytes();

    /** The client speaks first, with a pkt-line's lower-case hex length; a server never opens. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? CLIENT_FIRST : NONE;
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!fromClient) {
            return NO; // the client speaks first
        }
        int plen = 0;
        for (int i = 0; i < Math.min(len, 4); i++) {
            int h = hex(b[off + i]);
            if (h < 0) {
                return NO;
            }
            plen = plen * 16 + h;
        }
        if (len < 4) {
            return NEED_MORE;
        }
        if (plen < 4 + 17 || plen > CAP) {
            return NO;
        }
        int have = Math.min(len, plen);
        boolean service = false;
        for (String s : SERVICES) {
            if (Ascii.couldStartWith(b, off + 4, have - 4, s)) {
                service = true;
                break;
            }
        }
        if (!service) {
            return NO;
        }
        if (len < plen) {
            return NEED_MORE;
        }
        int nul = 4;
        while (nul < plen && b[off + nul] != 0) {
            nul++;
        }
        if (nul == plen || !Ascii.allText(b, off + 4, nul - 4)) {
            return NO;
        }
        int h = nul + 1;
        if (plen - h > 5 && Ascii.startsWith(b, off + h, plen - h, "host=")) {
            int e = h + 5;
            while (e < plen && b[off + e] != 0 && b[off + e] != ':') {
                e++;
            }
            if (e > h + 5 && Ascii.allText(b, off + h + 5, e - h - 5)) {
                String host = Ascii.string(b, off + h + 5, e - h - 5, 253).toLowerCase(java.util.Locale.ROOT);
                ctx.put(Registration.GIT_HOST.key(), host);
                ctx.setHost(host, false);
            }
        }
        return DONE;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1; // pkt-line lengths are lower-case hex
    }
}
