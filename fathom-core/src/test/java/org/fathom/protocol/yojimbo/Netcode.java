package org.fathom.protocol.yojimbo;

import static org.fathom.protocol.samples.Hex.ascii;
import static org.fathom.protocol.samples.Hex.cat;
import static org.fathom.protocol.samples.Hex.fill;
import static org.fathom.protocol.samples.Hex.u64le;

/** netcode.io packets laid out as its STANDARD.md gives them (the encrypted parts as filler bytes). */
public final class Netcode {
    private Netcode() {}

    /** A connection request: 0, "NETCODE 1.02\0", protocol id, expire timestamp, nonce (24) or sequence (8), token (1024). */
    public static byte[] request(boolean nonce) {
        return cat(new byte[] {0}, ascii("NETCODE 1.02\0"), u64le(0x1122334455667788L), u64le(1_765_000_000L),
                fill(nonce ? 24 : 8, 0x6E), fill(1024, 0xC3));
    }

    /** An encrypted packet: prefix (sequence bytes, type), the sequence without high zero bytes, data, MAC. */
    public static byte[] packet(int type, long sequence, int dataBytes) {
        int n = 1;
        while (n < 8 && (sequence >>> (8 * n)) != 0) {
            n++;
        }
        byte[] seq = new byte[n];
        for (int i = 0; i < n; i++) {
            seq[i] = (byte) (sequence >>> (8 * i));
        }
        return cat(new byte[] {(byte) (n << 4 | type)}, seq, fill(dataBytes, 0x9A), fill(16, 0x4D));
    }
}
