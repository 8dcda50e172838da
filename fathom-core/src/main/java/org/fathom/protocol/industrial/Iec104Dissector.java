package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * IEC 60870-5-104: APDUs of start byte 0x68, a length of 4..253 and a control field in one of the
 * three formats: I (numbered information transfer, followed by an ASDU with a defined type id),
 * S (supervisory, length 4) and U (unnumbered control: STARTDT, STOPDT, TESTFR act/con, length 4).
 * One valid APDU suffices on TCP 2404; elsewhere two back-to-back valid APDUs are required.
 * Contributes {@code iec60870.type_id} (the first ASDU's type) when one is seen.
 */
public final class Iec104Dissector extends PrefixDissector {
    static final int PORT = 2404;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("IEC60870", "IoT-Scada", PORT).withProbeDepth(4);

    public Iec104Dissector() {
        super(DESCRIPTOR, 600);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        boolean onPort = ctx.serverPort() == PORT || ctx.clientPort() == PORT;
        int need = onPort ? 1 : 2;
        int valid = 0;
        int i = 0;
        int typeId = -1;
        while (valid < need) {
            if (i >= len) {
                return NEED_MORE;
            }
            if (b[off + i] != 0x68) {
                return NO;
            }
            if (i + 1 >= len) {
                return NEED_MORE;
            }
            int l = u8(b, off + i + 1);
            if (l < 4 || l > 253) {
                return NO;
            }
            if (i + 2 + l > len) {
                // judge the control field early when it is there
                if (i + 7 <= len && !controlOk(b, off + i + 2, l)) {
                    return NO;
                }
                return NEED_MORE;
            }
            if (!controlOk(b, off + i + 2, l)) {
                return NO;
            }
            if ((b[off + i + 2] & 1) == 0 && typeId < 0) {
                typeId = u8(b, off + i + 6);
            }
            valid++;
            i += 2 + l;
        }
        if (typeId >= 0) {
            ctx.put(Registration.IEC60870_TYPE_ID.key(), (long) typeId);
        }
        return DONE;
    }

    /** Checks the 4-byte control field at {@code p} of an APDU of length {@code l} (and the ASDU type for I format). */
    static boolean controlOk(byte[] b, int p, int l) {
        int c1 = u8(b, p);
        if ((c1 & 1) == 0) { // I format
            return (b[p + 2] & 1) == 0 && l >= 10 && validType(u8(b, p + 4));
        }
        if ((c1 & 3) == 1) { // S format
            return c1 == 0x01 && b[p + 1] == 0 && (b[p + 2] & 1) == 0 && l == 4;
        }
        // U format: exactly one function bit
        return (c1 == 0x07 || c1 == 0x0B || c1 == 0x13 || c1 == 0x23 || c1 == 0x43 || c1 == 0x83)
                && b[p + 1] == 0 && b[p + 2] == 0 && b[p + 3] == 0 && l == 4;
    }

    /** ASDU type identifications defined by IEC 60870-5-101/104. */
    static boolean validType(int t) {
        return (t >= 1 && t <= 40) || (t >= 45 && t <= 51) || (t >= 58 && t <= 64) || t == 70
                || (t >= 100 && t <= 107) || (t >= 110 && t <= 113) || (t >= 120 && t <= 127);
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0x68);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
