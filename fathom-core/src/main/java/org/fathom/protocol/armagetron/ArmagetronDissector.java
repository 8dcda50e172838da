package org.fathom.protocol.armagetron;

import static org.fathom.wire.Bytes.u16;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Armagetron Advanced, the open-source Tron light-cycle game (nDPI's Armagetron), over UDP (game
 * servers on 4534, the master server on 4533). A datagram is a run of messages followed by the
 * sender's 16-bit id (0 from the server), all in big-endian 16-bit words: each message is a
 * descriptor id, a message id, the data length in 16-bit words, then the data (Wireshark's
 * packet-armagetronad.c, whose heuristic is exactly that the lengths end two bytes before the
 * datagram does). The descriptor ids are those of Armagetron's {@code nDescriptor} table that
 * Wireshark lists (from armagetronad-0.2.8.2.1: 1 ack, 2-11 login/logout/console/version, 20-28
 * object ids and synchronisation, 40-41 passwords, 50-55 the LAN/master server browser's
 * small/big server information and requests, 60, 200-233 chat/players/teams/votes, 300-340 the
 * game objects); nDPI's armagetron.c matches three of these messages (login2, sync_msg,
 * net_sync).
 *
 * <p>One datagram decides when every message has a listed descriptor and the lengths chain
 * exactly to the sender id. A datagram of one message without data (8 bytes, e.g. the browser's
 * small_request) is too short to say much and is taken only with one end on 4534 or 4533.
 */
public final class ArmagetronDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("Armagetron", "Game").withProbeDepth(2);
    private static final int SERVER_PORT = 4534;
    private static final int MASTER_PORT = 4533;
    /** Descriptor ids of armagetronad-0.2.8.2.1 as Wireshark's dissector lists them. */
    private static final int[] DESCRIPTORS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20, 21, 22, 23, 24, 25, 26, 27, 28, 40, 41,
        50, 51, 52, 53, 54, 55, 60, 200, 201, 202, 203, 210, 220, 230, 231, 232, 233, 300, 310, 311, 320, 321, 330, 331, 340};
    private static final long[] KNOWN = new long[6];

    static {
        for (int d : DESCRIPTORS) {
            KNOWN[d >>> 6] |= 1L << (d & 63);
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return Dissector.bytes(0x00, 0x01);
    }

    static boolean known(int descriptor) {
        return descriptor < 64 * KNOWN.length && (KNOWN[descriptor >>> 6] & 1L << (descriptor & 63)) != 0;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || len < 8 || (len & 1) != 0) {
            return NO;
        }
        int p = 0;
        int end = len - 2;
        while (p < end) {
            if (end - p < 6 || !known(u16(b, off + p))) {
                return NO;
            }
            p += 6 + 2 * u16(b, off + p + 4);
        }
        if (p != end) {
            return NO;
        }
        if (len == 8) {
            int s = ctx.serverPort();
            int c = ctx.clientPort();
            boolean onPort = s == SERVER_PORT || s == MASTER_PORT || c == SERVER_PORT || c == MASTER_PORT;
            return onPort ? DONE : NO;
        }
        return DONE;
    }
}
