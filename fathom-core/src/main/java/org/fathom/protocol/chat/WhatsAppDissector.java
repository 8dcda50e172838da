package org.fathom.protocol.chat;

import static org.fathom.wire.Bytes.u24;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * WhatsApp's chat transport over TCP, as implemented by the open-source WhatsApp Web clients: the
 * client opens the stream with an optional edge-routing preamble ("ED", 0x00 0x01, a 3-byte length
 * and that many bytes of routing data), then the connection header "WA" + protocol major version
 * + dictionary version, then 3-byte-length-prefixed frames. With the Noise handshake (major
 * version 3 and later) the first frame is a HandshakeMessage protobuf whose first field is the
 * ClientHello (tag 0x12). Contributes {@code whatsapp.protocol_version}.
 */
public final class WhatsAppDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("WhatsApp", "Chat").withProbeDepth(6);

    public WhatsAppDissector() {
        super(DESCRIPTOR, 600);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        if (!fromClient && StreamPrefix.of(ctx) == null) {
            return NO; // the client speaks first
        }
        return super.inspect(ctx, fromClient, buf, off, len);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (!fromClient) {
            return StreamPrefix.SKIP;
        }
        int p = 0;
        if (b[off] == 'E') {
            if ((len >= 2 && b[off + 1] != 'D') || (len >= 3 && b[off + 2] != 0) || (len >= 4 && b[off + 3] != 1)) {
                return NO;
            }
            if (len < 7) {
                return NEED_MORE;
            }
            int n = u24(b, off + 4);
            if (n < 1 || n > 512) {
                return NO;
            }
            p = 7 + n;
        }
        if (len <= p) {
            return NEED_MORE;
        }
        if (b[off + p] != 'W' || (len > p + 1 && b[off + p + 1] != 'A')) {
            return NO;
        }
        if (len < p + 4) {
            return NEED_MORE;
        }
        int major = u8(b, off + p + 2);
        int dict = u8(b, off + p + 3);
        if (major < 1 || major > 9 || dict > 15) {
            return NO;
        }
        if (len < p + 8) {
            return NEED_MORE;
        }
        int frame = u24(b, off + p + 4);
        if (frame < 1 || frame > 1 << 16) {
            return NO;
        }
        if (major >= 3 && u8(b, off + p + 7) != 0x12) {
            return NO;
        }
        ctx.put(Registration.WHATSAPP_PROTOCOL_VERSION.key(), major + "." + dict);
        return DONE;
    }
}
