package org.fathom.protocol.hots;

import static org.fathom.wire.Bytes.allZero;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Heroes of the Storm's game datagrams (Blizzard; nDPI's Heroes_of_the_Storm). Facts from nDPI's
 * hots.c: UDP on Blizzard's game ports 1119, 1120, 3724 or 6113, datagrams of 20 to 122 bytes
 * whose bytes 14-15 are {@code 40 00} and which open either with 14 zero bytes (the server's
 * datagrams) or with {@code 03 00} / {@code 34 00} at bytes 2-3 (the client's). In the corpus
 * capture hots.pcapng bytes 14-15 are also {@code 40 10} on retransmitted server datagrams, and a
 * client keeps its first four bytes for the whole flow. Sixteen header bytes on a Blizzard port
 * are still a modest signature, so one datagram is not enough: the flow is named when a second
 * datagram of the same direction has the same header form (the same four opening bytes for a
 * client), within the first four of that direction. It writes no metadata.
 */
public final class HeroesOfTheStormDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Heroes_of_the_Storm", "Game").withProbeDepth(4);
    private static final int MIN = 20;
    private static final int MAX = 122;
    /** The form of the first well-formed datagram per direction: 0 none, 1 server form, else client opening | 1L << 40. */
    private static final class Seen {
        long client;
        long server;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || !blizzardPort(ctx.serverPort()) && !blizzardPort(ctx.clientPort())) {
            return NO;
        }
        long form = form(b, off, len);
        if (form == 0) {
            return NO;
        }
        Seen s = ctx.state() instanceof Seen q ? q : null;
        long before = s == null ? 0 : fromClient ? s.client : s.server;
        if (before == form) {
            return DONE;
        }
        if (before != 0) {
            return NO; // a second datagram of another form
        }
        if (s == null) {
            s = new Seen();
            ctx.setState(s);
        }
        if (fromClient) {
            s.client = form;
        } else {
            s.server = form;
        }
        return NEED_MORE;
    }

    private static boolean blizzardPort(int port) {
        return port == 1119 || port == 1120 || port == 3724 || port == 6113;
    }

    /** 1 for the all-zero opening, the first four bytes (plus a marker bit) for a client opening, 0 when not a datagram of the game. */
    private static long form(byte[] b, int off, int len) {
        if (len < MIN || len > MAX || b[off + 14] != 0x40 || (b[off + 15] != 0 && b[off + 15] != 0x10)) {
            return 0;
        }
        if (allZero(b, off, 0, 14)) {
            return 1;
        }
        if (b[off + 3] == 0 && (b[off + 2] == 0x03 || b[off + 2] == 0x34)) {
            return 1L << 40 | (b[off] & 0xFFL) << 24 | (b[off + 1] & 0xFFL) << 16 | (b[off + 2] & 0xFFL) << 8;
        }
        return 0;
    }
}
