package org.fathom.protocol.spotify;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Spotify's access-point protocol (the clients' own TCP connection to an "AP", on 4070, 443 or 80),
 * as the open-source client librespot documents its handshake: the client opens with the protocol
 * version {@code 00 04}, a 4-byte big-endian length of the whole message (version and length
 * included) and the {@code ClientHello} protobuf, whose first field is {@code build_info}
 * (field 10, length-delimited: tag {@code 0x52}). The access point answers with a 4-byte length
 * and the {@code APResponseMessage} protobuf (first field 10, tag {@code 0x52}). The client's
 * opening decides (two fixed bytes, a length that fits a hello, the tag); the answer, when seen,
 * must agree. Nothing is recorded: what follows is encrypted.
 */
public final class SpotifyApDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Spotify", "Music").withProbeDepth(2);
    private static final int TAG_FIELD_10 = 0x52;
    /** A ClientHello holds build info, crypto and login-crypto offers and a nonce: well under this. */
    private static final int MAX_HELLO = 4096;

    public SpotifyApDissector() {
        super(DESCRIPTOR, 8);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (fromClient) {
            if (len >= 1 && b[off] != 0 || len >= 2 && b[off + 1] != 4) {
                return NO;
            }
            if (len < 7) {
                return NEED_MORE;
            }
            long size = u32(b, off + 2);
            return size >= 7 && size <= MAX_HELLO && (b[off + 6] & 0xFF) == TAG_FIELD_10 ? Dissector.MATCH : NO;
        }
        if (!matched) {
            return NO; // the client speaks first
        }
        if (len < 5) {
            return NEED_MORE;
        }
        long size = u32(b, off);
        return size >= 5 && size <= 65535 && (b[off + 4] & 0xFF) == TAG_FIELD_10 ? Dissector.DONE : NO;
    }

    private static long u32(byte[] b, int off) {
        return (long) (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | b[off + 3] & 0xFF;
    }

    private static final long[] FIRST_CLIENT = Dissector.bytes(0);

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : null;
    }
}
