package org.fathom.protocol.finance;

import static org.fathom.wire.Bytes.allDigits;
import static org.fathom.wire.Bytes.allPrintable;
import static org.fathom.wire.Bytes.ascii;
import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.prefixOf;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * FIX (Financial Information eXchange) tag=value sessions over TCP: the standard header's first
 * three fields are always BeginString (tag 8, e.g. {@code FIX.4.4}, {@code FIXT.1.1}, or a venue's
 * own value), BodyLength (tag 9, digits) and MsgType (tag 35), each ended by SOH (0x01); that
 * order and framing is the check. Contributes {@code fix.version} (the BeginString).
 */
public final class FixDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("FIX", "RPC").withProbeDepth(4);

    public FixDissector() {
        super(DESCRIPTOR, 64);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!prefixOf(b, off, len, "8=")) {
            return NO;
        }
        int soh = indexOf(b, off, len, 0, 20, 1);
        if (soh < 0) {
            return len >= 20 ? NO : NEED_MORE;
        }
        if (soh < 3 || !allPrintable(b, off, 2, soh)) {
            return NO;
        }
        int p = soh + 1;
        if (!prefixOf(b, off + p, len - p, "9=")) {
            return NO;
        }
        int soh2 = indexOf(b, off, len, p, p + 12, 1);
        if (soh2 < 0) {
            return len >= p + 12 ? NO : NEED_MORE;
        }
        if (!allDigits(b, off, p + 2, soh2)) {
            return NO;
        }
        int q = soh2 + 1;
        if (!prefixOf(b, off + q, len - q, "35=")) {
            return NO;
        }
        if (len < q + 4) {
            return NEED_MORE;
        }
        ctx.put(Registration.FIX_VERSION.key(), ascii(b, off, 2, soh, 16));
        return DONE;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes('8');

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
