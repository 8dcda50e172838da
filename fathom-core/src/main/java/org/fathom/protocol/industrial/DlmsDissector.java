package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * DLMS/COSEM over the IEC 62056-47 (IEC 62056-9-7) TCP-UDP wrapper: version 0x0001, source and
 * destination wrapper ports, and a length equal to the APDU that follows (the whole rest of a UDP
 * datagram), whose first byte is a defined xDLMS/ACSE APDU tag (AARQ, AARE, RLRQ, RLRE, get/set/
 * action request and response, their ciphered forms, event notification, exception, general
 * ciphering). DLMS/COSEM over HDLC (IEC 62056-46) carried in TCP or UDP is recognised too: a
 * whole HDLC frame of format type 3 whose frame check sequence is right.
 */
public final class DlmsDissector extends PrefixDissector {
    private static final int[] PORTS = {4059};
    private static final Descriptor DESCRIPTOR = Descriptor.both("IEC62056", "IoT-Scada", PORTS, PORTS).withProbeDepth(4);

    public DlmsDissector() {
        super(DESCRIPTOR, 2100);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (b[off] == 0x7E) {
            return hdlc(ctx, b, off, len);
        }
        if (b[off] != 0 || (len >= 2 && b[off + 1] != 1)) {
            return NO;
        }
        if (len < 9) {
            return ctx.l4() == 17 ? NO : NEED_MORE;
        }
        int n = u16(b, off + 6);
        if (n < 1 || (ctx.l4() == 17 && n != len - 8) || !apduTag(u8(b, off + 8))) {
            return NO;
        }
        if (ctx.l4() != 6) {
            return DONE;
        }
        if (len < 8 + n) {
            return NEED_MORE;
        }
        if (ctx.serverPort() == PORTS[0] || ctx.clientPort() == PORTS[0]) {
            return DONE;
        }
        // elsewhere the next wrapper header must follow the APDU
        return len < 8 + n + 2 ? NEED_MORE : checkNext(b, off, len, n);
    }

    /**
     * An HDLC frame of IEC 62056-46 (frame format type 3): opening flag, format field 0xA_ with an
     * 11-bit length, addresses, control, and a frame check sequence (CRC-16/X.25) before the
     * closing flag.
     */
    private static int hdlc(FlowContext ctx, byte[] b, int off, int len) {
        if (len >= 2 && (u8(b, off + 1) & 0xF0) != 0xA0) {
            return NO;
        }
        if (len < 3) {
            return ctx.l4() == 17 ? NO : NEED_MORE;
        }
        int l = (u8(b, off + 1) & 0x07) << 8 | u8(b, off + 2);
        if (l < 7) {
            return NO;
        }
        if (len < l + 2) {
            return ctx.l4() == 17 ? NO : NEED_MORE;
        }
        if (u8(b, off + l + 1) != 0x7E) {
            return NO;
        }
        int fcs = crcX25(b, off + 1, l - 2);
        return fcs == ((b[off + l - 1] & 0xFF) | (b[off + l] & 0xFF) << 8) ? DONE : NO;
    }

    /** CRC-16/X.25 (ISO/IEC 13239): polynomial 0x1021 reflected, initial and final 0xFFFF. */
    static int crcX25(byte[] b, int off, int n) {
        int crc = 0xFFFF;
        for (int i = 0; i < n; i++) {
            crc ^= b[off + i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
        }
        return ~crc & 0xFFFF;
    }

    private static int checkNext(byte[] b, int off, int len, int n) {
        int p = 8 + n;
        return b[off + p] == 0 && b[off + p + 1] == 1 ? DONE : NO;
    }

    static boolean apduTag(int t) {
        return switch (t) {
            case 0x60, 0x61, 0x62, 0x63, // ACSE AARQ, AARE, RLRQ, RLRE
                 0x0E, 0x0F, // confirmedServiceError, data-notification
                 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC7, // get/set/event/action
                 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCF, // glo-ciphered
                 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD7, // ded-ciphered
                 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDF -> true;
            default -> false;
        };
    }
}
