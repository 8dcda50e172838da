package org.fathom.protocol.vnc;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.text.Ascii;

/**
 * VNC's Remote Framebuffer protocol (RFC 6143 section 7.1.1): the server opens with the 12-byte
 * ProtocolVersion {@code RFB xxx.yyy\n}, and the client answers with one in the same form.
 * Contributes {@code vnc.server_version} and {@code vnc.client_version}.
 */
public final class VncDissector implements Dissector {
    static final int LENGTH = 12;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("VNC", "RemoteAccess", 5900, 5901, 5800).withProbeDepth(3);

    static final class State {
        final byte[][] buf = {new byte[LENGTH], new byte[LENGTH]};
        final int[] len = new int[2];
        boolean serverOk;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            if (fromClient || !Ascii.couldStartWith(b, off, len, "RFB ")) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        int side = fromClient ? 0 : 1;
        if (fromClient && !st.serverOk) {
            return NO; // the server speaks first
        }
        int n = Math.min(len, LENGTH - st.len[side]);
        System.arraycopy(b, off, st.buf[side], st.len[side], n);
        st.len[side] += n;
        if (st.len[side] < LENGTH) {
            return Ascii.couldStartWith(st.buf[side], 0, st.len[side], "RFB ") ? (st.serverOk ? MATCH : NEED_MORE) : (st.serverOk ? DONE : NO);
        }
        String v = version(st.buf[side]);
        if (v == null) {
            return st.serverOk ? DONE : NO;
        }
        if (!fromClient) {
            if (st.serverOk) {
                return MATCH;
            }
            st.serverOk = true;
            ctx.put(Registration.VNC_SERVER_VERSION.key(), v);
            return MATCH;
        }
        ctx.put(Registration.VNC_CLIENT_VERSION.key(), v);
        return DONE;
    }

    /** {@code xxx.yyy} of {@code RFB xxx.yyy\n}, or null. */
    static String version(byte[] m) {
        if (!Ascii.startsWith(m, 0, LENGTH, "RFB ") || m[7] != '.' || m[11] != '\n') {
            return null;
        }
        for (int i : new int[] {4, 5, 6, 8, 9, 10}) {
            if (!Ascii.isDigit(m[i])) {
                return null;
            }
        }
        return Ascii.string(m, 4, 7, 7);
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes('R');

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
