package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u16le;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * DNP3 (IEEE 1815) over TCP or UDP: the data link header of the first frame, start bytes 0x05 0x64,
 * a length of at least 5, control, destination and source, and the CRC-16/DNP of those 8 bytes.
 * The CRC makes the check strong enough to run on any port. Contributes {@code dnp3.src_address}
 * and {@code dnp3.dst_address} (link addresses of the first frame).
 */
public final class Dnp3Dissector extends PrefixDissector {
    private static final int[] PORTS = {20000};
    private static final Descriptor DESCRIPTOR = Descriptor.both("DNP3", "IoT-Scada", PORTS, PORTS).withProbeDepth(4);

    public Dnp3Dissector() {
        super(DESCRIPTOR, 64);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (b[off] != 0x05 || (len >= 2 && b[off + 1] != 0x64) || (len >= 3 && u8(b, off + 2) < 5)) {
            return NO;
        }
        if (len < 10) {
            return NEED_MORE;
        }
        if (crc(b, off, 8) != u16le(b, off + 8)) {
            return NO;
        }
        ctx.put(Registration.DNP3_DST_ADDRESS.key(), (long) u16le(b, off + 4));
        ctx.put(Registration.DNP3_SRC_ADDRESS.key(), (long) u16le(b, off + 6));
        return DONE;
    }

    /** CRC-16/DNP: polynomial 0x3D65, reflected, initial 0, final complement. */
    static int crc(byte[] b, int off, int n) {
        int crc = 0;
        for (int i = 0; i < n; i++) {
            crc ^= b[off + i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA6BC : crc >>> 1;
            }
        }
        return ~crc & 0xFFFF;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0x05);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
