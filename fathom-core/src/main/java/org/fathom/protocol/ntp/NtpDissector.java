package org.fathom.protocol.ntp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * NTP (RFC 5905; versions 1 to 4) on UDP 123: time packets of modes 1 to 5 are 48 bytes plus
 * whole 32-bit words (key id and digest, extension fields); control (mode 6, RFC 9327) and
 * private (mode 7) messages have their own headers, with a data count that fits. Metadata:
 * {@code ntp.version}, {@code ntp.mode}.
 */
public final class NtpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("NTP", "System", 123).withProbeDepth(2);
    private static final String[] MODES = {"reserved", "symmetric_active", "symmetric_passive", "client", "server", "broadcast", "control", "private"};

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if ((ctx.serverPort() != 123 && ctx.clientPort() != 123) || len < 8) {
            return NO;
        }
        int version = (b[off] >> 3) & 7;
        int mode = b[off] & 7;
        if (version < 1 || version > 4 || mode == 0) {
            return NO;
        }
        if (mode <= 5) {
            int stratum = b[off + 1] & 0xFF;
            if (len < 48 || ((len - 48) & 3) != 0 || (stratum > 16 && mode != 3)) {
                return NO;
            }
        } else if (mode == 6) {
            if (len < 12) {
                return NO;
            }
            int count = ((b[off + 10] & 0xFF) << 8) | (b[off + 11] & 0xFF);
            if (12 + count > len || (b[off + 1] & 0x1F) == 0 || (b[off + 1] & 0x1F) > 31) {
                return NO;
            }
        } else {
            // mode 7: implementation number and request code of ntpd's private protocol
            int impl = b[off + 2] & 0xFF;
            if (impl != 0 && impl != 2 && impl != 3) {
                return NO;
            }
        }
        ctx.put(Registration.NTP_VERSION.key(), (long) version);
        ctx.put(Registration.NTP_MODE.key(), MODES[mode]);
        return DONE;
    }
}
