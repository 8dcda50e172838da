package org.fathom.protocol.wireguard;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * WireGuard (whitepaper section 5.4) over UDP. Each message starts with a type byte and three
 * reserved zero bytes, and each type has an exact size: handshake initiation (1) 148 bytes,
 * handshake response (2) 92, cookie reply (3) 64, transport data (4) 32 + a multiple of 16.
 * A flow is recognised when a response names the initiation's sender index as its receiver, when
 * two initiations come from one side, or when three transport packets from one side (or two from
 * each) carry a constant receiver index and increasing counters. Handshake messages of another
 * size (some clients pad them) are passed over without counting.
 */
public final class WireGuardDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("WireGuard", "VPN", 51820).withProbeDepth(4);

    static final class State {
        final long[] initiator = {-1, -1};
        final int[] initiations = new int[2];
        final long[] receiver = {-1, -1};
        final long[] counter = {-1, -1};
        final int[] transport = new int[2];
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 32 || b[off + 1] != 0 || b[off + 2] != 0 || b[off + 3] != 0) {
            return NO;
        }
        int type = b[off];
        boolean sizeOk = switch (type) {
            case 1 -> len == 148;
            case 2 -> len == 92;
            case 3 -> len == 64;
            case 4 -> len % 16 == 0;
            default -> false;
        };
        if (!sizeOk) {
            // handshake messages of another size (padded by some clients) prove nothing either way;
            // transport data must be a multiple of 16
            return type >= 1 && type <= 3 ? NEED_MORE : NO;
        }
        State st = (State) ctx.state();
        if (st == null) {
            st = new State();
            ctx.setState(st);
        }
        int side = fromClient ? 0 : 1;
        switch (type) {
            case 1 -> {
                st.initiator[side] = le32(b, off + 4);
                if (++st.initiations[side] >= 2) {
                    return DONE;
                }
            }
            case 2 -> {
                if (st.initiator[1 - side] >= 0) {
                    return le32(b, off + 8) == st.initiator[1 - side] ? DONE : NO;
                }
            }
            case 4 -> {
                long r = le32(b, off + 4);
                long c = le64(b, off + 8);
                if (st.receiver[side] < 0) {
                    st.receiver[side] = r;
                } else if (r != st.receiver[side] || c <= st.counter[side] || c - st.counter[side] > 4096) {
                    return NO;
                }
                st.counter[side] = c;
                st.transport[side]++;
                if (st.transport[side] >= 3 || st.transport[0] >= 2 && st.transport[1] >= 2) {
                    return DONE;
                }
            }
            default -> { }
        }
        return NEED_MORE;
    }

    private static long le32(byte[] b, int p) {
        return ((b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 3] & 0xFF) << 24)) & 0xFFFF_FFFFL;
    }

    private static long le64(byte[] b, int p) {
        return le32(b, p) | (le32(b, p + 4) << 32);
    }
}
