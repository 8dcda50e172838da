package org.fathom.protocol.coap;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * CoAP (RFC 7252) on UDP 5683/5684 (and 61616-61631 for 6LoWPAN compressed ports): version 1,
 * token length at most 8, a code of class 0 (requests), 2, 4 or 5; the empty message (0.00) is
 * exactly 4 bytes; options (delta and length nibbles, 15 reserved) run to the end or to the
 * payload marker, which must be followed by payload. Metadata: {@code coap.code} ({@code GET},
 * {@code 2.05}, ...), {@code coap.type}.
 */
public final class CoapDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("COAP", "RPC", 5683, 5684).withProbeDepth(2);
    private static final String[] TYPES = {"CON", "NON", "ACK", "RST"};
    private static final String[] METHODS = {"EMPTY", "GET", "POST", "PUT", "DELETE", "FETCH", "PATCH", "iPATCH"};

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (!port(ctx.serverPort()) && !port(ctx.clientPort())) {
            return NO;
        }
        if (len < 4 || ((b[off] & 0xC0) >> 6) != 1) {
            return NO;
        }
        int type = (b[off] >> 4) & 3;
        int tkl = b[off] & 0x0F;
        int code = b[off + 1] & 0xFF;
        int cls = code >> 5;
        int detail = code & 0x1F;
        if (tkl > 8 || (cls != 0 && cls != 2 && cls != 4 && cls != 5)) {
            return NO;
        }
        if (code == 0) {
            if (len != 4 || tkl != 0) {
                return NO;
            }
        } else if (cls == 0 && detail > 7) {
            return NO;
        }
        int p = off + 4 + tkl;
        int end = off + len;
        if (p > end) {
            return NO;
        }
        while (p < end) {
            int h = b[p] & 0xFF;
            if (h == 0xFF) {
                if (p + 1 >= end) {
                    return NO;
                }
                break;
            }
            int delta = h >> 4;
            int l = h & 0x0F;
            if (delta == 15 || l == 15) {
                return NO;
            }
            p++;
            p += delta == 13 ? 1 : delta == 14 ? 2 : 0;
            if (p > end) {
                return NO;
            }
            if (l == 13) {
                if (p >= end) {
                    return NO;
                }
                l = 13 + (b[p] & 0xFF);
                p++;
            } else if (l == 14) {
                if (p + 2 > end) {
                    return NO;
                }
                l = 269 + (((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF));
                p += 2;
            }
            p += l;
            if (p > end) {
                return NO;
            }
        }
        ctx.put(Registration.COAP_TYPE.key(), TYPES[type]);
        ctx.put(Registration.COAP_CODE.key(), cls == 0 ? METHODS[detail] : cls + "." + (detail < 10 ? "0" : "") + detail);
        return DONE;
    }

    private static boolean port(int p) {
        return p == 5683 || p == 5684 || (p >= 61616 && p <= 61631);
    }
}
