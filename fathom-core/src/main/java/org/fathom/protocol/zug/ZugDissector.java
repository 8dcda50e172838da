package org.fathom.protocol.zug;

import static org.fathom.wire.Bytes.u16;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * The datagrams of the Zug consensus protocol of the Casper network (nDPI's ZUG): a 2-byte
 * big-endian length equal to the whole datagram, then the marker {@code "UG"} and the byte
 * {@code 0x10} (nDPI's zug.c matches {@code 00 7A 55 47 10}, i.e. this header on 122-byte
 * datagrams only; the length field holds for every datagram of the corpus capture zug.pcap,
 * 122 and 410 bytes). The body that follows is signed and opaque. Either side may send first;
 * one datagram decides. It writes no metadata.
 */
public final class ZugDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("ZUG", "Crypto_Currency").withProbeDepth(1);
    /** Shortest datagram taken: header and some body (a signed message is far longer). */
    private static final int MIN = 16;

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || len < MIN || b[off + 2] != 'U' || b[off + 3] != 'G' || b[off + 4] != 0x10) {
            return NO;
        }
        return u16(b, off) == len ? DONE : NO;
    }
}
