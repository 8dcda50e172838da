package org.fathom.protocol.network;

import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Canon BJNP (printer and scanner network protocol, UDP 8611-8614; as documented by the cups-bjnp
 * and SANE pixma backends): a 16-byte header with magic "BJNP" (or "MFNP" for multifunction
 * devices), a device type (printer or scanner command, or their responses), a command code and a
 * payload length equal to the rest of the datagram.
 */
public final class BjnpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("BJNP", "System", 8611, 8612, 8613, 8614).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    private static final long[] FIRST = Dissector.bytes('B', 'M');

    /** Both directions start with {@code BJNP} or {@code MFNP}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 16 || !(regionEquals(b, off, len, 0, "BJNP") || regionEquals(b, off, len, 0, "MFNP"))) {
            return NO;
        }
        int type = u8(b, off + 4);
        if (type != 0x01 && type != 0x02 && type != 0x81 && type != 0x82) {
            return NO;
        }
        return u32(b, off + 12) == len - 16 ? DONE : NO;
    }
}
