package org.fathom.protocol.websocket;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * WebSocket (RFC 6455) frames on a TCP flow whose opening handshake was not seen (a capture that
 * starts after the upgrade). A single two-byte frame header says little, so the flow is claimed
 * only when the framing holds over several frames: each direction's stream, from its start, is a
 * sequence of well-formed frames (section 5.2: RSV2/RSV3 clear, RSV1 only on a data frame's first
 * fragment, a defined opcode, control frames unfragmented and at most 125 bytes, continuations
 * only inside a fragmented message, extended lengths in their minimal form), one direction masks
 * every frame and the other none (section 5.1: clients mask, servers never do), and both
 * directions have completed at least {@value #FRAMES} frames. Either side may speak first.
 */
public final class WebSocketDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("WebSocket", "Web").withProbeDepth(8);
    /** Complete frames each direction must show. */
    static final int FRAMES = 2;

    /** Per-flow framing state of both directions (fixed size). */
    static final class State {
        final byte[][] hdr = new byte[2][14];
        final int[] hdrLen = new int[2];
        final long[] skip = new long[2];
        final int[] frames = new int[2];
        /** -1 not yet known, 0 unmasked, 1 masked. */
        final int[] masked = {-1, -1};
        final boolean[] open = new boolean[2];
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        // a first frame: FIN set, text/binary (RSV1 allowed: a compressed message), close, ping, pong
        return Dissector.bytes(0x81, 0x82, 0xC1, 0xC2, 0x88, 0x89, 0x8A);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        if (ctx.l4() != 6) {
            return NO;
        }
        State st = ctx.state() instanceof State s ? s : null;
        if (st == null) {
            st = new State();
            ctx.setState(st);
        }
        int side = fromClient ? 0 : 1;
        int p = off;
        int end = off + len;
        while (p < end) {
            if (st.skip[side] > 0) {
                long n = Math.min(st.skip[side], end - p);
                st.skip[side] -= n;
                p += (int) n;
                if (st.skip[side] == 0) {
                    st.frames[side]++;
                }
                continue;
            }
            byte[] h = st.hdr[side];
            if (st.hdrLen[side] == 0 && st.frames[side] == 0 && !firstFrame(buf[p] & 0xFF)) {
                return NO; // as firstBytes says
            }
            h[st.hdrLen[side]++] = buf[p++];
            int need = headerLength(h, st.hdrLen[side]);
            if (need < 0) {
                return NO;
            }
            if (st.hdrLen[side] < need) {
                continue;
            }
            // a complete header
            int verdict = frame(st, side, h, need);
            st.hdrLen[side] = 0;
            if (verdict == NO) {
                return NO;
            }
        }
        if (st.masked[0] >= 0 && st.masked[1] >= 0 && st.masked[0] == st.masked[1]) {
            return NO; // both directions mask, or neither does
        }
        return st.frames[0] >= FRAMES && st.frames[1] >= FRAMES ? DONE : NEED_MORE;
    }

    private static boolean firstFrame(int b0) {
        return switch (b0) {
            case 0x81, 0x82, 0xC1, 0xC2, 0x88, 0x89, 0x8A -> true;
            default -> false;
        };
    }

    /** Header length given the bytes seen so far, or -1 when the first byte is not a frame's. */
    private static int headerLength(byte[] h, int have) {
        int b0 = h[0] & 0xFF;
        if ((b0 & 0x30) != 0) {
            return -1; // RSV2, RSV3
        }
        int op = b0 & 0x0F;
        if (!(op <= 2 || (op >= 8 && op <= 10))) {
            return -1;
        }
        if (have < 2) {
            return 2;
        }
        int b1 = h[1] & 0xFF;
        int l7 = b1 & 0x7F;
        int mask = (b1 & 0x80) != 0 ? 4 : 0;
        return 2 + (l7 == 126 ? 2 : l7 == 127 ? 8 : 0) + mask;
    }

    private static int frame(State st, int side, byte[] h, int n) {
        int b0 = h[0] & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        int op = b0 & 0x0F;
        int b1 = h[1] & 0xFF;
        int masked = (b1 & 0x80) != 0 ? 1 : 0;
        int l7 = b1 & 0x7F;
        long length;
        if (l7 == 126) {
            length = ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
            if (length < 126) {
                return NO;
            }
        } else if (l7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (h[i] & 0xFF);
            }
            if (length <= 0xFFFF) {
                return NO; // also the most significant bit set (negative)
            }
        } else {
            length = l7;
        }
        if (st.masked[side] >= 0 && st.masked[side] != masked) {
            return NO;
        }
        st.masked[side] = masked;
        if (op >= 8) {
            if (!fin || rsv1 || length > 125) {
                return NO;
            }
        } else if (op == 0) {
            if (!st.open[side] || rsv1) {
                return NO;
            }
            st.open[side] = !fin;
        } else {
            if (st.open[side]) {
                return NO;
            }
            st.open[side] = !fin;
        }
        if (length == 0) {
            st.frames[side]++;
        } else {
            st.skip[side] = length;
        }
        return DONE;
    }
}
