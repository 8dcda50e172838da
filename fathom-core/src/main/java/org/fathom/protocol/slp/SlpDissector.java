package org.fathom.protocol.slp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Service Location Protocol, version 1 (RFC 2165) and version 2 (RFC 2608), UDP and TCP 427.
 * The header's length field must equal the datagram (UDP) or at least cover the header (TCP);
 * function ids, reserved flag bits, the v1 dialect and the v2 language tag are checked. Off port
 * 427 only version 2 with an exact length and a language tag of letters is taken.
 * Metadata: {@code slp.version}, {@code slp.function}.
 */
public final class SlpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR =
            Descriptor.both("Service_Location_Protocol", "RPC", new int[] {427}, new int[] {427}).withProbeDepth(2);
    private static final String[] FUNCTIONS = {
        null, "SrvRqst", "SrvRply", "SrvReg", "SrvDeReg", "SrvAck", "AttrRqst", "AttrRply", "DAAdvert",
        "SrvTypeRqst", "SrvTypeRply", "SAAdvert",
    };

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        boolean onPort = ctx.serverPort() == 427 || ctx.clientPort() == 427;
        boolean udp = ctx.l4() == 17;
        if (len < 12) {
            return NO;
        }
        int version = b[off] & 0xFF;
        int function = b[off + 1] & 0xFF;
        if (version == 2 && len >= 16) {
            int length = ((b[off + 2] & 0xFF) << 16) | ((b[off + 3] & 0xFF) << 8) | (b[off + 4] & 0xFF);
            int flags = ((b[off + 5] & 0xFF) << 8) | (b[off + 6] & 0xFF);
            int langLen = ((b[off + 12] & 0xFF) << 8) | (b[off + 13] & 0xFF);
            if (function < 1 || function > 11 || (flags & 0x1FFF) != 0 || langLen < 1 || langLen > 64 || 14 + langLen > length
                    || !(udp ? length == len : length >= 14 + langLen)) {
                return NO;
            }
            if (14 + langLen <= len && !languageTag(b, off + 14, langLen)) {
                return NO;
            }
            if (!onPort && (length != len || 14 + langLen > len)) {
                return NO;
            }
        } else if (version == 1 && onPort) {
            int length = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
            int flags = b[off + 4] & 0xFF;
            int dialect = b[off + 5] & 0xFF;
            if (function < 1 || function > 10 || (flags & 0x07) != 0 || dialect != 0 || !(udp ? length == len : length >= 12)
                    || !letter(b[off + 6]) || !letter(b[off + 7])) {
                return NO;
            }
        } else {
            return NO;
        }
        ctx.put(Registration.SLP_VERSION.key(), (long) version);
        ctx.put(Registration.SLP_FUNCTION.key(), FUNCTIONS[function]);
        return DONE;
    }

    private static boolean languageTag(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            byte c = b[off + i];
            if (!letter(c) && c != '-' && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return letter(b[off]);
    }

    private static boolean letter(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
