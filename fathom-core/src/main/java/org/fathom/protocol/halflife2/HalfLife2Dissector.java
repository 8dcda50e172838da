package org.fathom.protocol.halflife2;

import static org.fathom.wire.Bytes.regionEquals;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * The connect handshake of Valve's Source engine (Half-Life 2 and its mods; nDPI's HalfLife2),
 * as the Source SDK 2013 writes it (engine/baseclientstate.cpp, engine/baseserver.cpp).
 * Connectionless packets start with the header {@code FF FF FF FF}, then a message byte:
 * <ul>
 *   <li>{@code 'q'} A2S_GETCHALLENGE from the client: a 4-byte client challenge, then the string
 *       {@code "0000000000"} and its NUL ("pad out"): exactly 20 bytes;</li>
 *   <li>{@code 'A'} S2C_CHALLENGE from the server: S2C_MAGICVERSION {@code 0x5A4F4933} (little
 *       endian, {@code "3IOZ"} on the wire), server challenge, client challenge echoed,
 *       authentication protocol (32 bits each), then the Steam part and padding;</li>
 *   <li>{@code 'B'} S2C_CONNECTION, the server's acceptance: the client challenge, then the same
 *       {@code "0000000000"} padding: exactly 20 bytes.</li>
 * </ul>
 * Each of these is a fixed signature of 16 or 9 bytes and decides alone. The server queries
 * (A2S_INFO, A2S_PLAYER, A2S_RULES and their short {@code 'A'} challenge) are Source_Engine's, in
 * the gaming package. nDPI's halflife2_and_mods.c takes any {@code FF FF FF FF} packet ending
 * in {@code "000\0"} in both directions; the corpus flow it names so (ossfuzz_seed_fake_traces_1,
 * a fuzzer seed: {@code FF FF FF FF}, zeros, {@code "000\0"}) carries no message byte and is not
 * taken. It writes no metadata.
 */
public final class HalfLife2Dissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("HalfLife2", "Game").withProbeDepth(2);
    private static final String PAD = "0000000000\0";
    /** S2C_MAGICVERSION as it appears on the wire. */
    private static final String MAGIC_VERSION = "3IOZ";

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return Dissector.bytes(0xFF);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || len < 9 || b[off] != -1 || b[off + 1] != -1 || b[off + 2] != -1 || b[off + 3] != -1) {
            return NO;
        }
        return switch (b[off + 4]) {
            case 'q', 'B' -> len == 20 && regionEquals(b, off, len, 9, PAD) ? DONE : NO;
            case 'A' -> len >= 21 && regionEquals(b, off, len, 5, MAGIC_VERSION) && authProtocol(b, off + 17) ? DONE : NO;
            default -> NO;
        };
    }

    /** PROTOCOL_AUTHCERTIFICATE (1), PROTOCOL_HASHEDCDKEY (2) or PROTOCOL_STEAM (3), little endian. */
    private static boolean authProtocol(byte[] b, int at) {
        return b[at] >= 1 && b[at] <= 3 && b[at + 1] == 0 && b[at + 2] == 0 && b[at + 3] == 0;
    }
}
