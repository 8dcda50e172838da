package org.fathom.protocol.p2p;

import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u32le;
import static org.fathom.wire.Bytes.u64le;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;
import org.fathom.wire.StreamPrefix;

/**
 * Cryptocurrency peer-to-peer and mining protocols over TCP:
 * <ul>
 * <li>Bitcoin P2P (developer reference, "Message headers"): a network magic (main, testnet3,
 * signet, regtest), a 12-byte NUL-padded lower-case command, a payload size and checksum.</li>
 * <li>Monero (CryptoNote "levin" protocol): the 8-byte bucket signature 0x0101010101012101, a
 * payload size, and protocol version 1.</li>
 * <li>Stratum mining (JSON-RPC over TCP): a JSON request calling {@code mining.subscribe},
 * {@code mining.authorize}, {@code mining.configure}, EthProxy's {@code eth_submitLogin} or the
 * CryptoNote pool {@code login}.</li>
 * </ul>
 */
public final class CryptoCurrencyDissector extends PrefixDissector {
    private final int kind;

    private CryptoCurrencyDissector(Descriptor descriptor, int kind) {
        super(descriptor, kind == 2 ? 1024 : 64);
        this.kind = kind;
    }

    public static CryptoCurrencyDissector bitcoin() {
        return new CryptoCurrencyDissector(Descriptor.tcp("BITCOIN", "Crypto_Currency", 8333, 18333).withProbeDepth(3), 0);
    }

    public static CryptoCurrencyDissector monero() {
        return new CryptoCurrencyDissector(Descriptor.tcp("Monero", "Crypto_Currency", 18080).withProbeDepth(3), 1);
    }

    public static CryptoCurrencyDissector mining() {
        return new CryptoCurrencyDissector(Descriptor.tcp("Mining", "Mining").withProbeDepth(3), 2);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        return switch (kind) {
            case 0 -> bitcoin(b, off, len);
            case 1 -> monero(b, off, len);
            default -> stratum(fromClient, b, off, len);
        };
    }

    private static int bitcoin(byte[] b, int off, int len) {
        int m0 = u8(b, off);
        if (m0 != 0xF9 && m0 != 0x0B && m0 != 0x0A && m0 != 0xFA) {
            return NO;
        }
        if (len < 4) {
            return NEED_MORE;
        }
        long magic = u32(b, off);
        if (magic != 0xF9BEB4D9L && magic != 0x0B110907L && magic != 0x0A03CF40L && magic != 0xFABFB5DAL) {
            return NO;
        }
        if (len < 24) {
            return NEED_MORE;
        }
        int i = 4;
        while (i < 16 && b[off + i] != 0) {
            int c = b[off + i];
            if (c < 'a' || c > 'z') {
                return NO;
            }
            i++;
        }
        if (i == 4) {
            return NO;
        }
        for (int k = i; k < 16; k++) {
            if (b[off + k] != 0) {
                return NO;
            }
        }
        return u32le(b, off + 16) <= 32 << 20 ? DONE : NO;
    }

    private static int monero(byte[] b, int off, int len) {
        if (b[off] != 0x01 || (len >= 2 && b[off + 1] != 0x21)) {
            return NO;
        }
        if (len < 33) {
            return NEED_MORE;
        }
        if (u64le(b, off) != 0x0101010101012101L) {
            return NO;
        }
        long cb = u64le(b, off + 8);
        return cb <= 100 << 20 && u32le(b, off + 29) == 1 ? DONE : NO;
    }

    private static int stratum(boolean fromClient, byte[] b, int off, int len) {
        if (!fromClient) {
            return StreamPrefix.SKIP;
        }
        if (b[off] != '{') {
            return NO;
        }
        int eol = indexOf(b, off, len, 0, len, '\n');
        if (eol < 0) {
            return len >= 1024 ? NO : NEED_MORE;
        }
        if (indexOf(b, off, eol, "\"method\"", eol) < 0) {
            return NO;
        }
        boolean mining = indexOf(b, off, eol, "\"mining.subscribe\"", eol) > 0 || indexOf(b, off, eol, "\"mining.authorize\"", eol) > 0
                || indexOf(b, off, eol, "\"mining.configure\"", eol) > 0 || indexOf(b, off, eol, "\"eth_submitLogin\"", eol) > 0
                || (indexOf(b, off, eol, "\"login\"", eol) > 0 && indexOf(b, off, eol, "\"agent\"", eol) > 0);
        return mining ? DONE : NO;
    }
}
