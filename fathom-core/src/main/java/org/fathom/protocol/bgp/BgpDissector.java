package org.fathom.protocol.bgp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * BGP-4 (RFC 4271 section 4.1): every message starts with a 16-byte marker of all ones, a length
 * of 19..4096 (65535 with RFC 8654) and a type 1..5 (OPEN, UPDATE, NOTIFICATION, KEEPALIVE,
 * ROUTE-REFRESH). An OPEN must say version 4. Contributes {@code bgp.message} (the first type).
 */
public final class BgpDissector implements Dissector {
    static final int HEADER = 19;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("BGP", "Network", 179).withProbeDepth(3);

    static final class State {
        final byte[] head = new byte[HEADER + 1];
        int len;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        int n0 = Math.min(len, 16);
        for (int i = 0; i < n0 && (st == null || st.len == 0); i++) {
            if ((b[off + i] & 0xFF) != 0xFF) {
                return NO;
            }
        }
        if (st == null) {
            st = new State();
            ctx.setState(st);
        }
        int n = Math.min(len, st.head.length - st.len);
        System.arraycopy(b, off, st.head, st.len, n);
        st.len += n;
        for (int i = 0; i < Math.min(st.len, 16); i++) {
            if ((st.head[i] & 0xFF) != 0xFF) {
                return NO;
            }
        }
        if (st.len < HEADER) {
            return NEED_MORE;
        }
        int mlen = ((st.head[16] & 0xFF) << 8) | (st.head[17] & 0xFF);
        int type = st.head[18] & 0xFF;
        if (mlen < HEADER || type < 1 || type > 5) {
            return NO;
        }
        if (type == 1) {
            if (st.len < HEADER + 1) {
                return NEED_MORE;
            }
            if (st.head[19] != 4 || mlen < 29) {
                return NO;
            }
        }
        if (type == 4 && mlen != HEADER) {
            return NO;
        }
        ctx.put(Registration.BGP_MESSAGE.key(), switch (type) {
            case 1 -> "OPEN";
            case 2 -> "UPDATE";
            case 3 -> "NOTIFICATION";
            case 4 -> "KEEPALIVE";
            default -> "ROUTE-REFRESH";
        });
        return DONE;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0xFF);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
