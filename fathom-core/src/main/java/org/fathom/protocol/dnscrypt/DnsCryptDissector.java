package org.fathom.protocol.dnscrypt;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * DNSCrypt v2 (dnscrypt.info protocol specification) encrypted queries: the client sends its
 * 8-byte client magic, its 32-byte public key and a 12-byte nonce half, then the encrypted query
 * (padded, so at least 64 bytes beyond the header over UDP); the resolver answers with the fixed
 * magic {@code r6fnvWj8}, followed by the client's nonce half. A query answered that way is
 * DNSCrypt. Over TCP each packet has a two-byte length prefix. (The certificate lookups, plain DNS
 * TXT queries for {@code 2.dnscrypt-cert.<provider>}, are DNS.) No ports are claimed: its usual ones
 * (443, 5353) belong to QUIC/TLS and mDNS for the port fallback.
 */
public final class DnsCryptDissector implements Dissector {
    static final byte[] RESOLVER_MAGIC = {'r', '6', 'f', 'n', 'v', 'W', 'j', '8'};
    static final int NONCE_HALF = 12;
    static final int QUERY_HEADER = 8 + 32 + NONCE_HALF;
    private static final Descriptor DESCRIPTOR = Descriptor.both("DNScrypt", "Network", new int[0], new int[0]).withProbeDepth(2);

    static final class State {
        final byte[] nonce = new byte[NONCE_HALF];
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        int o = off;
        int n = len;
        if (ctx.l4() == 6) {
            // only whole packets in one chunk are looked at: the prefix must match the chunk
            if (len < 2 || (((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF)) != len - 2) {
                return NO;
            }
            o += 2;
            n -= 2;
        }
        State st = (State) ctx.state();
        if (fromClient) {
            if (st != null) {
                return NEED_MORE;
            }
            if (n < QUERY_HEADER + 64 || startsWithMagic(b, o, n)) {
                return NO;
            }
            st = new State();
            System.arraycopy(b, o + 40, st.nonce, 0, NONCE_HALF);
            ctx.setState(st);
            return NEED_MORE;
        }
        if (st == null || n < 8 + 2 * NONCE_HALF + 16 || !startsWithMagic(b, o, n)) {
            return NO;
        }
        for (int i = 0; i < NONCE_HALF; i++) {
            if (b[o + 8 + i] != st.nonce[i]) {
                return NO;
            }
        }
        return DONE;
    }

    private static boolean startsWithMagic(byte[] b, int o, int n) {
        if (n < 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            if (b[o + i] != RESOLVER_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
