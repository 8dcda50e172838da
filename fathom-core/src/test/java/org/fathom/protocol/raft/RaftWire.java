package org.fathom.protocol.raft;

import static org.fathom.protocol.samples.Hex.ascii;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.u64le;
import static org.fathom.protocol.samples.Hex.zeros;

/** canonical/raft's TCP bytes as its encoder lays them out (src/uv_tcp_connect.c, src/uv_encoding.c). */
public final class RaftWire {
    private RaftWire() {}

    /** Protocol 1, server id, padded address size, address, NUL and padding. */
    public static byte[] handshake(long id, String address) {
        int size = (address.length() + 1 + 7) & ~7;
        return cat(u64le(1), u64le(id), u64le(size), ascii(address), zeros(size - address.length()));
    }

    /** RequestVote (3): term, candidate id, last log index and term, flags. */
    public static byte[] requestVote(long term) {
        return cat(u64le(3), u64le(40), u64le(term), u64le(2), u64le(120), u64le(term - 1), u64le(0));
    }

    /** AppendEntriesResult (2): term, rejected, last log index. */
    public static byte[] appendEntriesResult(long term) {
        return cat(u64le(2), u64le(24), u64le(term), u64le(0), u64le(121));
    }

    /** AppendEntries (1) with {@code n} entries of 8 bytes: header (size 48 + 16n, its last word unwritten, here zero), then the data. */
    public static byte[] appendEntries(long term, int n) {
        byte[] b = cat(u64le(1), u64le(48 + 16L * n), u64le(term), u64le(120), u64le(term), u64le(119), u64le(n));
        for (int k = 0; k < n; k++) {
            b = cat(b, u64le(term), new byte[] {1, 0, 0, 0, 8, 0, 0, 0});
        }
        b = cat(b, zeros(8));
        for (int k = 0; k < n; k++) {
            b = cat(b, u64le(0x0102030405060708L + k));
        }
        return b;
    }
}
