package org.fathom.protocol.gaming;

import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * RakNet offline (connectionless) messages over UDP: unconnected ping/pong, open connection
 * request/reply 1 and 2, and the connection refusals all carry the 16-byte "offline message id"
 * magic 00 FF FF 00 FE FE FE FE FD FD FD FD 12 34 56 78 at an offset fixed by the message id.
 * Roblox's RakNet fork (the corpus's roblox capture) sends offline messages of its own ids
 * (0x7B, 0x7E) with the magic right after the id as the open-connection messages have it, at
 * times behind a 31-byte header of its own: the 16-byte magic at offset 1 or 32 whatever the id is
 * taken as RakNet too ({@code offline_message}). Contributes {@code raknet.message}.
 */
public final class RakNetDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("RakNet", "Game", 19132, 19133).withProbeDepth(3);
    private static final int[] MAGIC = {0x00, 0xFF, 0xFF, 0x00, 0xFE, 0xFE, 0xFE, 0xFE, 0xFD, 0xFD, 0xFD, 0xFD, 0x12, 0x34, 0x56, 0x78};

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 17) {
            return NO;
        }
        int id = u8(b, off);
        int at;
        String name;
        switch (id) {
            case 0x01, 0x02 -> { at = 9; name = "unconnected_ping"; }
            case 0x1C -> { at = 17; name = "unconnected_pong"; }
            case 0x05 -> { at = 1; name = "open_connection_request_1"; }
            case 0x06 -> { at = 1; name = "open_connection_reply_1"; }
            case 0x07 -> { at = 1; name = "open_connection_request_2"; }
            case 0x08 -> { at = 1; name = "open_connection_reply_2"; }
            case 0x12, 0x14, 0x17, 0x1A -> { at = 1; name = "connection_refused"; }
            case 0x19 -> { at = 2; name = "incompatible_protocol_version"; }
            default -> { at = -1; name = null; }
        }
        if (at < 0 || !magicAt(b, off, len, at)) {
            if (magicAt(b, off, len, 1) || magicAt(b, off, len, 32)) {
                ctx.put(Registration.RAKNET_MESSAGE.key(), "offline_message");
                return DONE;
            }
            return NO;
        }
        ctx.put(Registration.RAKNET_MESSAGE.key(), name);
        return DONE;
    }

    private static boolean magicAt(byte[] b, int off, int len, int at) {
        if (len < at + 16) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            if (u8(b, off + at + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
