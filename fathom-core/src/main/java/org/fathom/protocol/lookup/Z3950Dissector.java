package org.fathom.protocol.lookup;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Z39.50 information retrieval (ANSI/NISO Z39.50-2003, ISO 23950) on any TCP port, registered for
 * 210: a session opens with the client's initRequest APDU, BER tag [20] constructed ({@code 0xB4}),
 * answered by initResponse [21] ({@code 0xB5}); the APDU's length matches what follows and its
 * first elements are the optional referenceId [2], then protocolVersion [3] and options [4] (both
 * BIT STRINGs, implicitly tagged). Nothing is recorded.
 */
public final class Z3950Dissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Z3950", "Network", 210).withProbeDepth(3);

    public Z3950Dissector() {
        super(DESCRIPTOR, 64);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (len < 1) {
            return NEED_MORE;
        }
        return (b[off] & 0xFF) == (fromClient ? 0xB4 : 0xB5) ? apdu(b, off, len) : NO;
    }

    /** Checks an init APDU's length and its first elements: [2]? [3] [4]. */
    static int apdu(byte[] b, int off, int len) {
        int[] l = new int[2];
        int r = length(b, off + 1, len - 1, l);
        if (r <= 0) {
            return r < 0 ? NEED_MORE : NO;
        }
        if (l[0] < 6) {
            return NO;
        }
        int p = 1 + l[1];
        int[] tags = {0x82, 0x83, 0x84};
        int[] max = {64, 8, 16};
        for (int i = 0; i < tags.length; i++) {
            if (p + 2 > len) {
                return NEED_MORE;
            }
            int t = b[off + p] & 0xFF;
            if (t != tags[i]) {
                if (i == 0) {
                    continue; // referenceId is optional
                }
                return NO;
            }
            r = length(b, off + p + 1, len - p - 1, l);
            if (r <= 0) {
                return r < 0 ? NEED_MORE : NO;
            }
            if (l[0] == 0 && i > 0 || l[0] > max[i]) {
                return NO;
            }
            p += 1 + l[1] + l[0];
        }
        return MATCH;
    }

    /**
     * Reads a BER length at {@code at}: {@code out[0]} the length, {@code out[1]} the bytes it took.
     *
     * @return 1 read, -1 more bytes needed, 0 not a definite length of at most 3 bytes
     */
    static int length(byte[] b, int at, int avail, int[] out) {
        if (avail < 1) {
            return -1;
        }
        int first = b[at] & 0xFF;
        if (first < 0x80) {
            out[0] = first;
            out[1] = 1;
            return 1;
        }
        int n = first & 0x7F;
        if (n == 0 || n > 3) {
            return 0;
        }
        if (avail < 1 + n) {
            return -1;
        }
        int v = 0;
        for (int i = 1; i <= n; i++) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        out[0] = v;
        out[1] = 1 + n;
        return 1;
    }

    private static final long[] FIRST_CLIENT = org.fathom.protocol.Dissector.bytes(0xB4);
    private static final long[] FIRST_SERVER = org.fathom.protocol.Dissector.bytes(0xB5);

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : FIRST_SERVER;
    }
}
