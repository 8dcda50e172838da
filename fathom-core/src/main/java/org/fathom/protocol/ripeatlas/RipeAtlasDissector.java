package org.fathom.protocol.ripeatlas;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * The reachability probe that RIPE Atlas measurements send to a target port: a single message
 * {@code MGLNDD_<target address>_<target port>} in one UDP datagram (as in the corpus capture
 * ripe_atlas.pcap), optionally ended by a line end; either side may send it (an echo service
 * sends it back). The whole message must have that
 * form: the literal prefix, an IPv4 or IPv6 address, an underscore and a decimal port.
 * The address and port are not recorded.
 */
public final class RipeAtlasDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("RipeAtlas", "Network").withProbeDepth(2);
    private static final byte[] MAGIC = {'M', 'G', 'L', 'N', 'D', 'D', '_'};
    private static final int CAP = 7 + 45 + 1 + 5 + 2;

    public RipeAtlasDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return Dissector.bytes('M');
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || len < MAGIC.length + 4 || len > CAP) {
            return NO;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[off + i] != MAGIC[i]) {
                return NO;
            }
        }
        int end = off + len;
        if (b[end - 1] == '\n') {
            end--;
            if (b[end - 1] == '\r') {
                end--;
            }
        }
        int p = off + MAGIC.length;
        int addr = 0;
        boolean colon = false;
        boolean dot = false;
        while (p < end && addressChar(b[p])) {
            colon |= b[p] == ':';
            dot |= b[p] == '.';
            p++;
            addr++;
        }
        if (p == end || b[p] != '_' || addr < 2 || addr > 45 || !(colon || dot)) {
            return NO;
        }
        p++;
        int digits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            p++;
            digits++;
        }
        return p == end && digits >= 1 && digits <= 5 ? DONE : NO;
    }

    private static boolean addressChar(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
    }
}
