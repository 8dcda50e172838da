package org.fathom.protocol.lolwildrift;

import static org.fathom.wire.Bytes.u32;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * League of Legends: Wild Rift over UDP (nDPI's LoLWildRift). Two recognitions, facts from nDPI's
 * lol_wild_rift.c, both held by the corpus capture lol_wild_rift_udp.pcap:
 * <ul>
 *   <li>the 22-byte probe datagram that starts {@code 01 02 C8 41} and ends {@code "A0B1"}
 *       (8 fixed bytes at both ends; decides alone);</li>
 *   <li>the connection handshake: the client's 69-byte datagram of type 4 (32-bit word
 *       {@code 04 00 00 00}) answered by the server's 359-byte datagram of type 16
 *       ({@code 10 00 00 00}). A type word and a size alone are weak, so the flow is named only
 *       when the answer of that type and size follows the request of that type and size.</li>
 * </ul>
 * The rest of the game traffic is encrypted. It writes no metadata.
 */
public final class LoLWildRiftDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("LoLWildRift", "Game").withProbeDepth(2);
    private static final int PING = 22;
    private static final int REQUEST = 69;
    private static final int ANSWER = 359;
    /** Marks a flow whose client sent the handshake request. */
    private static final Object REQUESTED = new Object();

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? Dissector.bytes(0x01, 0x04) : Dissector.bytes(0x01, 0x10);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17) {
            return NO;
        }
        if (len == PING) {
            return u32(b, off) == 0x0102C841L && u32(b, off + PING - 4) == 0x41304231L ? DONE : NO;
        }
        if (fromClient && len == REQUEST && u32(b, off) == 0x04000000L && ctx.state() == null) {
            ctx.setState(REQUESTED);
            return NEED_MORE;
        }
        if (!fromClient && len == ANSWER && u32(b, off) == 0x10000000L && ctx.state() == REQUESTED) {
            return DONE;
        }
        return NO;
    }
}
