package org.fathom.protocol.telephony;

import static org.fathom.wire.Bytes.u32le;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Cisco Skinny Client Control Protocol (SCCP) on TCP 2000: each message is a little-endian data
 * length (counting the message id and data), a header version (basic 0, or the CM 7+ values
 * 0x11..0x17), and a message id from the station (0x0000..0x01FF) or call manager
 * (0x8000..0x81FF) ranges. The header has little entropy, so only port 2000 is judged, and the
 * first message must be a RegisterMessage with a device name or be followed by another valid
 * header.
 */
public final class SkinnyDissector extends PrefixDissector {
    static final int PORT = 2000;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("CiscoSkinny", "VoIP", PORT).withProbeDepth(4);

    public SkinnyDissector() {
        super(DESCRIPTOR, 2048, PORT);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int p = 0;
        for (int k = 0; k < 2; k++) {
            if (len - p < 12) {
                return NEED_MORE;
            }
            long l = u32le(b, off + p);
            long v = u32le(b, off + p + 4);
            long id = u32le(b, off + p + 8);
            boolean versionOk = v == 0 || (v >= 0x11 && v <= 0x17);
            boolean idOk = id <= 0x1FF || (id >= 0x8000 && id <= 0x81FF);
            if (l < 4 || l > 2000 || !versionOk || !idOk) {
                return NO;
            }
            if (k == 0 && id == 0x0001 && l >= 28 && len >= 28 && deviceName(b, off + 12)) {
                return DONE; // RegisterMessage with a device name
            }
            p += 8 + (int) l;
            if (p > 2048) {
                return NO;
            }
        }
        return DONE;
    }

    /** A NUL-terminated printable name of 3..15 characters in a 16-byte field. */
    private static boolean deviceName(byte[] b, int at) {
        int n = 0;
        while (n < 16 && b[at + n] != 0) {
            int c = b[at + n];
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
            n++;
        }
        return n >= 3 && n < 16;
    }
}
