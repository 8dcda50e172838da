package org.fathom.protocol.chat;

import static org.fathom.wire.Bytes.u16;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Discord voice over UDP, recognised by the IP Discovery exchange that opens every voice
 * connection (Discord developer documentation, "Voice Connections: IP Discovery"): 74-byte
 * datagrams of type 0x0001 (request) or 0x0002 (response), length 70, the SSRC, a 64-byte
 * NUL-padded address field (empty in a request, the client's address as text in a response) and a
 * port.
 */
public final class DiscordDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Discord", "Collaborative").withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len != 74 || b[off] != 0 || (b[off + 1] != 1 && b[off + 1] != 2) || u16(b, off + 2) != 70) {
            return NO;
        }
        int type = b[off + 1];
        int a = off + 8;
        int n = 0;
        while (n < 64 && b[a + n] != 0) {
            int c = b[a + n];
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return NO;
            }
            n++;
        }
        for (int i = n; i < 64; i++) {
            if (b[a + i] != 0) {
                return NO;
            }
        }
        if (type == 2 && n < 3) {
            return NO;
        }
        return DONE;
    }
}
