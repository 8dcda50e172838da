package org.fathom.protocol.telephony;

import static org.fathom.wire.Bytes.ascii;
import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.isPrintable;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.PrefixDissector;

/**
 * SMPP 3.3/3.4/5.0 over TCP: a session opens with a bind (receiver, transmitter, transceiver) or an
 * outbind PDU: command length of at least 16 matching the body, status 0, a sequence number, and
 * a body of NUL-terminated printable strings (system_id at most 16 bytes, password 9, system_type
 * 13) followed by a defined interface version. Mid-session an enquire_link (16 bytes) is accepted
 * on TCP 2775. Contributes {@code smpp.version} and {@code smpp.user} (the system_id, pseudonymised
 * downstream); a non-empty password raises {@link Risk#CLEARTEXT_CREDENTIALS}.
 */
public final class SmppDissector extends PrefixDissector {
    static final int PORT = 2775;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("SMPP", "Download", PORT).withProbeDepth(4);

    public SmppDissector() {
        super(DESCRIPTOR, 256);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (len >= 4 && (u32(b, off) < 16 || u32(b, off) > 4096)) {
            return NO;
        }
        if (len < 16) {
            return NEED_MORE;
        }
        long n = u32(b, off);
        long id = u32(b, off + 4);
        long seq = u32(b, off + 12);
        if (u32(b, off + 8) != 0 || seq == 0 || seq > 0x7FFFFFFFL) {
            return NO;
        }
        if (id == 0x15) {
            return n == 16 && (ctx.serverPort() == PORT || ctx.clientPort() == PORT) ? DONE : NO;
        }
        if (id != 1 && id != 2 && id != 9 && id != 0x0B) {
            return NO;
        }
        if (len < n) {
            return NEED_MORE;
        }
        int end = (int) n;
        int p = 16;
        int sysStart = p;
        int sys = cString(b, off, p, end, 16);
        if (sys < 0) {
            return NO;
        }
        p = sys + 1;
        int pw = cString(b, off, p, end, 9);
        if (pw < 0) {
            return NO;
        }
        boolean password = pw > p;
        if (id == 0x0B) { // outbind: system_id, password
            if (pw + 1 != end) {
                return NO;
            }
        } else {
            p = pw + 1;
            int st = cString(b, off, p, end, 13);
            if (st < 0 || st + 4 > end) {
                return NO;
            }
            int v = u8(b, off + st + 1);
            String version = v == 0x34 ? "3.4" : v == 0x50 ? "5.0" : v <= 0x33 ? "3.3" : null;
            if (version == null) {
                return NO;
            }
            ctx.put(Registration.SMPP_VERSION.key(), version);
        }
        if (sys > sysStart) {
            ctx.put(Registration.SMPP_USER.key(), ascii(b, off, sysStart, sys, 16));
        }
        if (password) {
            ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
        }
        return DONE;
    }

    /** Relative position of the NUL ending a printable string of at most {@code max} bytes at {@code p}, or -1. */
    private static int cString(byte[] b, int off, int p, int end, int max) {
        int nul = indexOf(b, off, end, p, Math.min(end, p + max + 1), 0);
        if (nul < 0) {
            return -1;
        }
        for (int i = p; i < nul; i++) {
            if (!isPrintable(b[off + i] & 0xFF)) {
                return -1;
            }
        }
        return nul;
    }
}
