package org.fathom.protocol.gaming;

import static org.fathom.wire.Bytes.isPrintable;
import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Valve Source engine server queries (Valve Developer Community, "Server queries") over UDP:
 * connectionless packets start with the 0xFFFFFFFF header. Accepted: A2S_INFO requests
 * ({@code 'T'} + "Source Engine Query\0", optionally with a 4-byte challenge), A2S_PLAYER/A2S_RULES
 * requests ({@code 'U'}/{@code 'V'} + 4-byte challenge), the challenge response ({@code 'A'} + 4
 * bytes), and the A2S_INFO response ({@code 'I'}, protocol byte, then name, map, folder and game as
 * NUL-terminated strings). Contributes {@code source_engine.query}.
 */
public final class SourceEngineDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Source_Engine", "Game", 27015).withProbeDepth(3);
    private static final String INFO = "Source Engine Query\0";

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 5 || b[off] != -1 || b[off + 1] != -1 || b[off + 2] != -1 || b[off + 3] != -1) {
            return NO;
        }
        int h = u8(b, off + 4);
        String query = switch (h) {
            case 'T' -> (len == 25 || len == 29) && regionEquals(b, off, len, 5, INFO) ? "info" : null;
            case 'U' -> len == 9 ? "player" : null;
            case 'V' -> len == 9 ? "rules" : null;
            case 'A' -> len == 9 ? "challenge" : null;
            case 'I' -> infoResponse(b, off, len) ? "info_response" : null;
            default -> null;
        };
        if (query == null) {
            return NO;
        }
        ctx.put(Registration.SOURCE_ENGINE_QUERY.key(), query);
        return DONE;
    }

    private static boolean infoResponse(byte[] b, int off, int len) {
        int p = 6; // header, 'I', protocol
        for (int s = 0; s < 4; s++) {
            int start = p;
            while (p < len && b[off + p] != 0) {
                int c = b[off + p] & 0xFF;
                if (!isPrintable(c) && c < 0x80) {
                    return false;
                }
                p++;
            }
            if (p >= len || (s >= 2 && p == start)) {
                return false; // folder and game are never empty
            }
            p++;
        }
        return len >= p + 2;
    }
}
