package org.fathom.protocol.gaming;

import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u16;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * TeamSpeak 3 voice over UDP: the connection handshake's init packets carry the literal
 * {@code TS3INIT1} in the MAC field, then packet id 0x65 (101), with the init packet type 0x88 at
 * its place in the client's (13-byte header) or server's (11-byte header) layout.
 */
public final class TeamSpeakDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("TeamSpeak", "VoIP", 9987).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 12 || !regionEquals(b, off, len, 0, "TS3INIT1") || u16(b, off + 8) != 0x65) {
            return NO;
        }
        boolean client = len >= 13 && (b[off + 12] & 0xFF) == 0x88;
        boolean server = (b[off + 10] & 0xFF) == 0x88;
        return client || server ? DONE : NO;
    }
}
