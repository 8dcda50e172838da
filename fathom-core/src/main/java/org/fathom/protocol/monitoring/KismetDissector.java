package org.fathom.protocol.monitoring;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * The Kismet wireless monitor's client/server protocol (Kismet "legacy" server protocol, TCP
 * 2501): the server greets with a line starting {@code *KISMET: } (version, start time, server
 * name) followed by {@code *PROTOCOLS:}; clients send {@code !<id> ENABLE ...} commands. The
 * server's greeting decides. Nothing is recorded.
 */
public final class KismetDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Kismet", "Network", 2501).withProbeDepth(3);
    private static final String GREETING = "*KISMET: ";
    private static final long[] SERVER_FIRST = org.fathom.protocol.Dissector.bytes('*');

    public KismetDissector() {
        super(DESCRIPTOR, GREETING.length());
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? null : SERVER_FIRST;
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (fromClient) {
            return StreamPrefix.SKIP; // commands come after the greeting
        }
        for (int i = 0; i < Math.min(len, GREETING.length()); i++) {
            if (b[off + i] != GREETING.charAt(i)) {
                return NO;
            }
        }
        return len < GREETING.length() ? NEED_MORE : DONE;
    }
}
