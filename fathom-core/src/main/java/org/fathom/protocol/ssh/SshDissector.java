package org.fathom.protocol.ssh;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * SSH (RFC 4253): recognised by the identification string {@code SSH-protoversion-softwareversion}
 * that each side sends first. Contributes {@code ssh.client_banner} and {@code ssh.server_banner},
 * and from the SSH_MSG_KEXINIT each side sends next (the first binary packet) the HASSH
 * fingerprints {@code ssh.hassh} (client) and {@code ssh.hassh_server}.
 *
 * <p>The banner may arrive split across segments, so up to {@link #MAX_BANNER} bytes per side are
 * buffered in the flow state until the line ends; the KEXINIT packet is buffered up to
 * {@link #MAX_KEXINIT} bytes (a larger one is skipped without fingerprint).
 */
public final class SshDissector implements Dissector {
    static final int MAX_BANNER = 255; // RFC 4253 section 4.2: at most 255 characters incl. CR LF
    static final int MAX_KEXINIT = 16 * 1024;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("SSH", "RemoteAccess", 22).withProbeDepth(4);
    private static final RecordFramer.Header PACKET = (b, o) -> {
        long l = SshKexInit.be32(b, o);
        return l < 12 || l > 35000 ? -1 : (int) l + 4;
    };

    private static final FramedState.Framing FRAMING = new FramedState.Framing(4, MAX_KEXINIT, PACKET);

    /** Per-flow state: the partial banner line of each side, then its first binary packet. */
    static final class State extends FramedState {
        final StringBuilder[] line = {new StringBuilder(), new StringBuilder()};
        final boolean[] complete = new boolean[2];
        final boolean[] kexDone = new boolean[2];

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            kexDone[fromClient ? 0 : 1] = true;
            if (len == full) {
                String alg = SshKexInit.algorithms(b, off, len, fromClient);
                if (alg != null) {
                    ctx.put(fromClient ? Registration.SSH_HASSH.key() : Registration.SSH_HASSH_SERVER.key(), SshKexInit.md5(alg));
                }
            }
            return DONE; // the first binary packet is the only one read
        }
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
        int end = off + len;
        int i = off;
        if (!st.complete[side]) {
            StringBuilder sb = st.line[side];
            if (sb.isEmpty() && fromClient && !startsWithSsh(buf, off, len)) {
                // only servers may send other lines before the banner
                return st.complete[1] ? MATCH : NO;
            }
            for (; i < end; i++) {
                int c = buf[i] & 0xFF;
                if (c == '\n') {
                    String banner = trimCr(sb);
                    if (banner.startsWith("SSH-")) {
                        ctx.put(fromClient ? Registration.SSH_CLIENT_BANNER.key() : Registration.SSH_SERVER_BANNER.key(), banner);
                        st.complete[side] = true;
                        i++;
                        break;
                    }
                    sb.setLength(0); // a pre-banner line from the server
                    continue;
                }
                if (sb.length() >= MAX_BANNER) {
                    return isSsh(sb) ? MATCH : NO;
                }
                sb.append((char) c);
            }
            if (!st.complete[side]) {
                if (!isSsh(sb) && sb.length() >= 4) {
                    return fromClient ? NO : NEED_MORE;
                }
                return isSsh(sb) || st.complete[1 - side] ? MATCH : NEED_MORE;
            }
            sb.setLength(0);
        }
        if (!st.kexDone[side] && i < end && st.feedRecords(FRAMING, ctx, fromClient, buf, i, end - i) == RecordFramer.INVALID) {
            st.kexDone[side] = true;
        }
        return st.kexDone[0] && st.kexDone[1] ? DONE : MATCH;
    }

    private static boolean isSsh(StringBuilder sb) {
        return sb.length() >= 4 && sb.charAt(0) == 'S' && sb.charAt(1) == 'S' && sb.charAt(2) == 'H' && sb.charAt(3) == '-';
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
