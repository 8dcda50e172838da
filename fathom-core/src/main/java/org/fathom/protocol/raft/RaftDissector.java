package org.fathom.protocol.raft;

import static org.fathom.wire.Bytes.u64le;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Raft over TCP as the canonical/raft C library (the consensus layer of dqlite and LXD) sends it,
 * nDPI's Raft (whose raft.c reads the same 16-byte message preamble). Facts from the library's
 * source: {@code src/uv_tcp_connect.c} (handshake) and {@code src/uv_encoding.c} (messages); all
 * integers are 64-bit little-endian. Connections are one-way: the connecting server writes, the
 * accepting one only reads.
 *
 * <ul>
 *   <li><b>Handshake</b>, the first bytes of a connection: protocol version {@code 1}, the sender's
 *       server id (an {@code unsigned}, so the high 32 bits are zero; ids are never 0), the size of
 *       the address buffer — the address's length plus its terminating NUL, padded to a multiple
 *       of 8 —, then the address ("host:port") and zero padding. All of it must agree.</li>
 *   <li><b>Messages</b>: a preamble of type (1 AppendEntries, 2 AppendEntriesResult, 3 RequestVote,
 *       4 RequestVoteResult, 5 InstallSnapshot, 6 TimeoutNow) and header size, then the header:
 *       24 bytes for types 2 and 6, 40 (32 in the older version) for 3, 24 (16) for 4; for 1,
 *       48 + 16 per entry, the encoder writing term, previous index and term, commit index and
 *       then the batch's entry count at byte 32 of the header (the size counts one word more than
 *       is written); for 5, 56 + the size of the encoded configuration, given at byte 32.</li>
 * </ul>
 * A connection whose start is the handshake is decided on it. A connection seen later must start
 * with a message whose size fits its type and whose inner count agrees (types 1 and 5), or, for the
 * fixed-size types, be followed by a second such message.
 */
public final class RaftDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Raft", "Network").withProbeDepth(4);
    private static final int CAP = 512;
    private static final int PREAMBLE = 16;
    private static final int MAX_ADDRESS = 256;
    private static final int APPEND_ENTRIES = 1;
    private static final int APPEND_ENTRIES_RESULT = 2;
    private static final int REQUEST_VOTE = 3;
    private static final int REQUEST_VOTE_RESULT = 4;
    private static final int INSTALL_SNAPSHOT = 5;
    private static final int TIMEOUT_NOW = 6;
    /** Entries per AppendEntries accepted (bounds the arithmetic; batches are far smaller). */
    private static final long MAX_ENTRIES = 1 << 20;

    public RaftDissector() {
        super(DESCRIPTOR, CAP);
    }

    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? Dissector.bytes(1, 2, 3, 4, 5, 6) : Dissector.bytes();
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (ctx.l4() != 6 || !fromClient) {
            return NO;
        }
        int h = handshake(b, off, len);
        if (h != NO) {
            return h;
        }
        return messages(b, off, len);
    }

    /** DONE for a whole valid handshake, NEED_MORE while one may still be arriving, NO otherwise. */
    static int handshake(byte[] b, int off, int len) {
        if (!zeroOrPrefix(b, off, len, 0, 1)) {
            return NO;
        }
        if (len < 24) {
            // the id's high half and the address size's high bytes must be zero
            for (int i = 12; i < Math.min(len, 16); i++) {
                if (b[off + i] != 0) {
                    return NO;
                }
            }
            for (int i = 18; i < len; i++) {
                if (b[off + i] != 0) {
                    return NO;
                }
            }
            return NEED_MORE;
        }
        long id = u64le(b, off + 8);
        long size = u64le(b, off + 16);
        if (id <= 0 || id > 0xFFFF_FFFFL || size < 8 || size > MAX_ADDRESS || size % 8 != 0) {
            return NO;
        }
        int end = 24 + (int) size;
        int p = 24;
        while (p < len && p < end && b[off + p] >= 0x21 && b[off + p] <= 0x7E) {
            p++;
        }
        if (p == len && p < end) {
            return NEED_MORE;
        }
        int chars = p - 24;
        if (chars == 0 || p == end || ((chars + 1 + 7) & ~7) != size) {
            return NO;
        }
        for (; p < end; p++) {
            if (p == len) {
                return NEED_MORE;
            }
            if (b[off + p] != 0) {
                return NO;
            }
        }
        return DONE;
    }

    /** Whether bytes [from, from + 8) so far read as the 64-bit little-endian value {@code v} (< 256). */
    private static boolean zeroOrPrefix(byte[] b, int off, int len, int from, int v) {
        for (int i = 0; i < 8 && from + i < len; i++) {
            int want = i == 0 ? v : 0;
            if ((b[off + from + i] & 0xFF) != want) {
                return false;
            }
        }
        return true;
    }

    private static int messages(byte[] b, int off, int len) {
        int first = message(b, off, len, 0);
        if (first <= 0) {
            return first == 0 ? NEED_MORE : NO;
        }
        int type = b[off] & 0xFF;
        if (type == APPEND_ENTRIES || type == INSTALL_SNAPSHOT) {
            return DONE;
        }
        int second = message(b, off, len, first);
        if (second < 0) {
            return NO;
        }
        return second == 0 ? NEED_MORE : DONE;
    }

    /**
     * Checks the message at {@code at}: -1 when it cannot be one, 0 when more bytes are needed,
     * else the offset where the next message starts (fixed-size types; for types 1 and 5 any
     * positive value once the inner count agrees).
     */
    private static int message(byte[] b, int off, int len, int at) {
        int avail = len - at;
        if (avail < PREAMBLE) {
            // check what is there of the type word
            if (avail > 0 && ((b[off + at] & 0xFF) < APPEND_ENTRIES || (b[off + at] & 0xFF) > TIMEOUT_NOW)) {
                return -1;
            }
            for (int i = 1; i < Math.min(avail, 8); i++) {
                if (b[off + at + i] != 0) {
                    return -1;
                }
            }
            return 0;
        }
        long type = u64le(b, off + at);
        long size = u64le(b, off + at + 8);
        boolean fits = switch ((int) Math.min(type, 7)) {
            case APPEND_ENTRIES_RESULT, TIMEOUT_NOW -> size == 24;
            case REQUEST_VOTE -> size == 32 || size == 40;
            case REQUEST_VOTE_RESULT -> size == 16 || size == 24;
            case APPEND_ENTRIES -> size >= 48 && size <= 48 + 16 * MAX_ENTRIES && (size - 48) % 16 == 0;
            case INSTALL_SNAPSHOT -> size >= 56 && size <= 56 + 65_536;
            default -> false;
        };
        if (!fits || type < APPEND_ENTRIES || type > TIMEOUT_NOW) {
            return -1;
        }
        if (type == APPEND_ENTRIES || type == INSTALL_SNAPSHOT) {
            if (avail < PREAMBLE + 40) {
                return 0;
            }
            long inner = u64le(b, off + at + PREAMBLE + 32);
            boolean agrees = type == APPEND_ENTRIES ? inner == (size - 48) / 16 : inner == size - 56;
            return agrees ? at + PREAMBLE + 40 : -1;
        }
        return at + PREAMBLE + (int) size;
    }
}
