package org.fathom.protocol.git;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.textline.Ascii;

/**
 * The git daemon protocol (git's Documentation/gitprotocol-pack): the client's first pkt-line is
 * four hexadecimal digits giving the line's length (themselves included), then
 * {@code git-upload-pack}, {@code git-receive-pack} or {@code git-upload-archive}, a space, the
 * repository path, NUL, and optionally {@code host=<host>} NUL. Contributes {@code git.host}
 * (also given to the service catalog).
 */
public final class GitDissector implements Dissector {
    static final int CAP = 1024;
    private static final String[] SERVICES = {"git-upload-pack ", "git-receive-pack ", "git-upload-archive "};
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Git", "Collaborative", 9418).withProbeDepth(3);

    static final class State {
        final byte[] buf = new byte[CAP];
        int len;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (!fromClient) {
            return NO; // the client speaks first
        }
        if (st == null) {
            for (int i = 0; i < Math.min(len, 4); i++) {
                if (hex(b[off + i]) < 0) {
                    return NO;
                }
            }
            st = new State();
            ctx.setState(st);
        }
        int n = Math.min(len, CAP - st.len);
        System.arraycopy(b, off, st.buf, st.len, n);
        st.len += n;
        byte[] m = st.buf;
        if (st.len < 4) {
            return NEED_MORE;
        }
        int plen = 0;
        for (int i = 0; i < 4; i++) {
            int h = hex(m[i]);
            if (h < 0) {
                return NO;
            }
            plen = plen * 16 + h;
        }
        if (plen < 4 + 17 || plen > CAP) {
            return NO;
        }
        int have = Math.min(st.len, plen);
        boolean service = false;
        for (String s : SERVICES) {
            if (Ascii.couldStartWith(m, 4, have - 4, s)) {
                service = true;
                break;
            }
        }
        if (!service) {
            return NO;
        }
        if (st.len < plen) {
            return NEED_MORE;
        }
        int nul = 4;
        while (nul < plen && m[nul] != 0) {
            nul++;
        }
        if (nul == plen || !Ascii.allText(m, 4, nul - 4)) {
            return NO;
        }
        int h = nul + 1;
        if (plen - h > 5 && Ascii.startsWith(m, h, plen - h, "host=")) {
            int e = h + 5;
            while (e < plen && m[e] != 0 && m[e] != ':') {
                e++;
            }
            if (e > h + 5 && Ascii.allText(m, h + 5, e - h - 5)) {
                String host = Ascii.string(m, h + 5, e - h - 5, 253).toLowerCase(java.util.Locale.ROOT);
                ctx.put("git.host", host);
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
