package org.fathom.protocol.monitoring;

import static org.fathom.wire.Bytes.prefixOf;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * Protocols that announce themselves with a fixed greeting at the start of a TCP stream:
 * <ul>
 * <li>Munin node: the node (server) greets with {@code # munin node at <name>}.</li>
 * <li>Checkmk agent: the agent (server) starts its output with {@code <<<check_mk>>>}.</li>
 * <li>Ceph messenger: both sides open with {@code ceph v027} (msgr v1) or {@code ceph v2\n} (msgr2).</li>
 * </ul>
 */
public final class BannerDissector extends PrefixDissector {
    private final String[] banners;
    private final boolean serverFirst;

    private BannerDissector(Descriptor descriptor, boolean serverFirst, String... banners) {
        super(descriptor, 32);
        this.banners = banners;
        this.serverFirst = serverFirst;
    }

    public static BannerDissector munin() {
        return new BannerDissector(Descriptor.tcp("Munin", "System", 4949).withProbeDepth(3), true, "# munin node at ");
    }

    public static BannerDissector checkmk() {
        return new BannerDissector(Descriptor.tcp("CHECKMK", "DataTransfer", 6556).withProbeDepth(3), true, "<<<check_mk>>>");
    }

    public static BannerDissector ceph() {
        return new BannerDissector(Descriptor.tcp("Ceph", "DataTransfer", 6789, 3300).withProbeDepth(3), false, "ceph v027", "ceph v2\n");
    }

    /** A banner's first character; a client line of a server-first protocol may be anything. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        if (serverFirst && fromClient) {
            return null;
        }
        long[] set = new long[4];
        for (String s : banners) {
            int v = s.charAt(0);
            set[v >>> 6] |= 1L << (v & 63);
        }
        return set;
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (serverFirst && fromClient) {
            return StreamPrefix.SKIP; // a client line sent first (mid-stream capture) says nothing
        }
        boolean maybe = false;
        for (String s : banners) {
            if (prefixOf(b, off, len, s)) {
                if (len >= s.length()) {
                    return DONE;
                }
                maybe = true;
            }
        }
        return maybe ? NEED_MORE : NO;
    }
}
