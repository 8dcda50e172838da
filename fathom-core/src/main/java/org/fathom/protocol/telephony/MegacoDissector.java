package org.fathom.protocol.telephony;

import static org.fathom.wire.Bytes.prefixOf;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Megaco/H.248 text encoding (ITU-T H.248.1 Annex B, RFC 3525) over UDP or TCP: a message starts
 * with {@code MEGACO/<version>} (or the compact {@code !/<version>}, accepted only on the H.248
 * ports 2944/2945) followed by a space and a message id ({@code [address]}, {@code <domain>} or a
 * device name).
 */
public final class MegacoDissector extends PrefixDissector {
    private static final int[] PORTS = {2944, 2945};
    private static final Descriptor DESCRIPTOR = Descriptor.both("Megaco", "VoIP", PORTS, PORTS).withProbeDepth(3);

    public MegacoDissector() {
        super(DESCRIPTOR, 32);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int p;
        if (prefixOf(b, off, len, "MEGACO/")) {
            p = 7;
        } else if (prefixOf(b, off, len, "!/")) {
            boolean onPort = ctx.serverPort() == 2944 || ctx.serverPort() == 2945 || ctx.clientPort() == 2944 || ctx.clientPort() == 2945;
            if (!onPort) {
                return NO;
            }
            p = 2;
        } else {
            return NO;
        }
        if (len < p + 3) {
            return ctx.l4() == 17 ? NO : NEED_MORE;
        }
        int v = u8(b, off + p);
        int sep = u8(b, off + p + 1);
        int id = u8(b, off + p + 2);
        boolean idOk = id == '[' || id == '<' || (id >= 'A' && id <= 'Z') || (id >= 'a' && id <= 'z');
        return v >= '1' && v <= '3' && (sep == ' ' || sep == '\t') && idOk ? DONE : NO;
    }
}
