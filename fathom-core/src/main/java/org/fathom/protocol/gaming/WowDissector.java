package org.fathom.protocol.gaming;

import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u16le;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * World of Warcraft authentication (realmlist) on TCP 3724: the client opens with
 * AUTH_LOGON_CHALLENGE (0x00) or AUTH_RECONNECT_CHALLENGE (0x02): a protocol byte, a little-endian
 * size counting the rest of the message, and the game name "WoW\0".
 */
public final class WowDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("WorldOfWarcraft", "Game", 3724).withProbeDepth(3);

    public WowDissector() {
        super(DESCRIPTOR, 32);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!fromClient || (b[off] != 0 && b[off] != 2)) {
            return NO;
        }
        if (len < 8) {
            return NEED_MORE;
        }
        int size = u16le(b, off + 2);
        return size >= 30 && size <= 256 && regionEquals(b, off, len, 4, "WoW\0") ? DONE : NO;
    }
}
