package org.fathom.protocol.flute;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * FLUTE (File Delivery over Unidirectional Transport, RFC 3926 / RFC 6726): ALC (RFC 5775)
 * packets, whose LCT header (RFC 5651) is parsed in full: version 1, the header length
 * {@code HDR_LEN} (32-bit words) covering the fixed part, the congestion control information
 * ({@code C}), TSI and TOI (sizes from {@code S}, {@code O}, {@code H}) and header extensions that
 * end exactly at {@code HDR_LEN} (fixed-size ones from HET 128, the others by their HEL). What
 * makes it FLUTE and not any LCT-looking datagram is the FDT: object 0 carrying the EXT_FDT
 * extension (HET 192, FLUTE version 1 or 2); packets of other objects before it are waited
 * through. Contributes {@code flute.fdt_instance}.
 */
public final class FluteDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("FLUTE", "Download").withProbeDepth(4);
    private static final int EXT_FDT = 192;

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        // version 1 in the high nibble, any C and PSI
        return Dissector.bytes(0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 8) {
            return NO;
        }
        int b0 = b[off] & 0xFF;
        int b1 = b[off + 1] & 0xFF;
        if (b0 >>> 4 != 1) {
            return NO;
        }
        int c = (b0 >>> 2) & 3;
        int s = b1 >>> 7;
        int o = (b1 >>> 5) & 3;
        int h = (b1 >>> 4) & 1;
        int hdrLen = (b[off + 2] & 0xFF) * 4;
        if (c == 3 || o == 3 || hdrLen > len) {
            return NO;
        }
        int tsiLen = 4 * s + 2 * h;
        int toiLen = 4 * o + 2 * h;
        int p = 4 + 4 * (c + 1) + tsiLen;
        if (tsiLen == 0 || p + toiLen > hdrLen) {
            return NO; // a TSI is mandatory in ALC
        }
        long toi = 0;
        for (int i = 0; i < toiLen; i++) {
            toi = toi << 8 | (b[off + p + i] & 0xFF);
        }
        p += toiLen;
        long fdtInstance = -1;
        while (p < hdrLen) {
            int het = b[off + p] & 0xFF;
            int extLen;
            if (het >= 128) {
                extLen = 4;
            } else {
                if (p + 1 >= hdrLen) {
                    return NO;
                }
                extLen = (b[off + p + 1] & 0xFF) * 4;
                if (extLen == 0) {
                    return NO;
                }
            }
            if (p + extLen > hdrLen) {
                return NO;
            }
            if (het == EXT_FDT) {
                int v = (b[off + p + 1] & 0xFF) >>> 4;
                if (v != 1 && v != 2) {
                    return NO;
                }
                fdtInstance = ((b[off + p + 1] & 0x0FL) << 16) | ((b[off + p + 2] & 0xFFL) << 8) | (b[off + p + 3] & 0xFFL);
            }
            p += extLen;
        }
        if (p != hdrLen) {
            return NO;
        }
        if (fdtInstance < 0) {
            return toi == 0 ? NO : NEED_MORE; // the FDT travels as object 0 and always has EXT_FDT
        }
        if (toi != 0) {
            return NO;
        }
        ctx.put(Registration.FLUTE_FDT_INSTANCE.key(), fdtInstance);
        return DONE;
    }
}
