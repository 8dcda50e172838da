package org.fathom.protocol.mumble;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Mumble's UDP server ping (the "UDP Ping packet" of the Mumble protocol documentation, used by
 * clients to list servers): the client sends exactly 12 bytes, a 4-byte request type 0 and an
 * 8-byte identifier of its choosing; the server answers exactly 24 bytes: its version (4 bytes,
 * first one 0), the client's identifier echoed unchanged, then users, maximum users and allowed
 * bandwidth (4 bytes each). Twelve bytes starting with zeros alone is a weak hint, so the flow is
 * named only when a 24-byte answer echoes the 8-byte identifier. Contributes {@code mumble.users}
 * and {@code mumble.max_users}.
 */
public final class MumbleDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Mumble", "VoIP", 64738).withProbeDepth(4);

    /** The identifier of the last ping the client sent. */
    private static final class Ping {
        long ident;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (fromClient) {
            if (len != 12 || b[off] != 0 || b[off + 1] != 0 || b[off + 2] != 0 || b[off + 3] != 0) {
                return NO;
            }
            Ping p = ctx.state() instanceof Ping q ? q : new Ping();
            p.ident = be64(b, off + 4);
            ctx.setState(p);
            return NEED_MORE;
        }
        if (!(ctx.state() instanceof Ping p) || len != 24 || b[off] != 0 || be64(b, off + 4) != p.ident) {
            return NO;
        }
        long users = be32(b, off + 12);
        long max = be32(b, off + 16);
        if (users > max && max != 0) {
            return NO;
        }
        ctx.put(Registration.MUMBLE_USERS.key(), users);
        ctx.put(Registration.MUMBLE_MAX_USERS.key(), max);
        return DONE;
    }

    private static long be32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | b[at + 3] & 0xFFL;
    }

    private static long be64(byte[] b, int at) {
        return be32(b, at) << 32 | be32(b, at + 4);
    }
}
