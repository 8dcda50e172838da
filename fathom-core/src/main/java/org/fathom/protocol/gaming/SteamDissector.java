package org.fathom.protocol.gaming;

import static org.fathom.wire.Bytes.u32le;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Steam In-Home Streaming / Remote Play discovery on UDP 27036 (as documented by the SteamKit and
 * Moonlight-era reverse engineering): datagrams start with FF FF FF FF 21 4C 5F A0, then a
 * little-endian header length that fits the datagram.
 */
public final class SteamDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Steam", "Game", 27036).withProbeDepth(3);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 12 || b[off] != -1 || b[off + 1] != -1 || b[off + 2] != -1 || b[off + 3] != -1
                || u8(b, off + 4) != 0x21 || u8(b, off + 5) != 0x4C || u8(b, off + 6) != 0x5F || u8(b, off + 7) != 0xA0) {
            return NO;
        }
        return u32le(b, off + 8) <= len - 12 ? DONE : NO;
    }
}
