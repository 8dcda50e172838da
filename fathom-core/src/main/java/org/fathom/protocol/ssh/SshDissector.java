package org.fathom.protocol.ssh;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * SSH (RFC 4253): recognised by the identification string {@code SSH-protoversion-softwareversion}
 * that each side sends first. Contributes {@code ssh.client_banner} and {@code ssh.server_banner}.
 *
 * <p>The banner may arrive split across segments, so up to {@link #MAX_BANNER} bytes per side are
 * buffered in the flow state until the line ends.
 */
public final class SshDissector implements Dissector {
    static final int MAX_BANNER = 255; // RFC 4253 section 4.2: at most 255 characters incl. CR LF
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("SSH", "RemoteAccess", 22).withProbeDepth(4);

    /** Per-flow state: the partial banner line of each side. */
    static final class State {
        final StringBuilder[] line = {new StringBuilder(), new StringBuilder()};
        final boolean[] complete = new boolean[2];
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        State st = (State) ctx.state();
        int side = fromClient ? 0 : 1;
        if (st == null) {
            // first payload from either side must start the identification string
            if (!startsWithSsh(buf, off, len)) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        if (st.complete[side]) {
            return st.complete[0] && st.complete[1] ? DONE : MATCH;
        }
        StringBuilder sb = st.line[side];
        if (sb.isEmpty() && !startsWithSsh(buf, off, len)) {
            // some servers send other lines before the banner (allowed for servers only)
            if (fromClient) {
                return st.complete[1] ? MATCH : NO;
            }
        }
        for (int i = off; i < off + len; i++) {
            int c = buf[i] & 0xFF;
            if (c == '\n') {
                String banner = trimCr(sb);
                if (banner.startsWith("SSH-")) {
                    ctx.put(fromClient ? "ssh.client_banner" : "ssh.server_banner", banner);
                    st.complete[side] = true;
                } else {
                    sb.setLength(0); // a pre-banner line from the server
                    continue;
                }
                break;
            }
            if (sb.length() >= MAX_BANNER) {
                return sb.toString().startsWith("SSH-") ? MATCH : NO;
            }
            sb.append((char) c);
        }
        if (!sb.toString().startsWith("SSH-") && sb.length() >= 4) {
            return fromClient ? NO : NEED_MORE;
        }
        if (st.complete[0] && st.complete[1]) {
            return DONE;
        }
        return st.complete[side] || sb.toString().startsWith("SSH-") ? MATCH : NEED_MORE;
    }

    private static boolean startsWithSsh(byte[] b, int off, int len) {
        int n = Math.min(len, 4);
        for (int i = 0; i < n; i++) {
            if (b[off + i] != "SSH-".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String trimCr(StringBuilder sb) {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
            n--;
        }
        return sb.substring(0, n);
    }
}
