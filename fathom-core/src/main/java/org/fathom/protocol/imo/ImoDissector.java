package org.fathom.protocol.imo;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * imo.im calls over UDP (nDPI's IMO). No public specification; the recognition rests on nDPI's
 * imo.c facts (one-byte datagrams; a 10-byte datagram starting {@code 09 02}; an 11-byte one
 * starting {@code 00 09 03}) and on the framing every multi-byte datagram of the corpus capture
 * imo.pcap follows (97 of 97, both flows, both directions, the direct and the relayed call):
 * a datagram is a run of messages, each a length as a big-endian base-128 number (high bit =
 * more bytes follow) and that many bytes, the first of which is the message type; the relay
 * puts one zero byte before the run. The {@code 09 02} / {@code 09 03} datagrams are thus one
 * 9-byte message of type 2 (ping) or 3 (pong) carrying a 64-bit counter, which the peer echoes
 * in its pong.
 *
 * <p>Statistical: every datagram must be one byte or an exact run of messages (else NO); the
 * flow is named once a datagram was a lone ping or pong and each direction sent at least one
 * framed datagram. It writes no metadata.
 */
public final class ImoDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("IMO", "VoIP").withProbeDepth(8);
    /** Length numbers above 3 bytes would exceed any datagram. */
    private static final int MAX_LENGTH_BYTES = 3;

    /** Flow state, a small Integer (cached by Integer.valueOf: no allocation): these bits. */
    private static final int PING = 1;
    private static final int CLIENT = 2;
    private static final int SERVER = 4;

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || len == 0) {
            return NO;
        }
        if (len == 1) {
            return NEED_MORE;
        }
        if (!framed(b, off, len)) {
            return NO;
        }
        int seen = ctx.state() instanceof Integer q ? q : 0;
        int at = b[off] == 0 ? off + 1 : off;
        int n = off + len - at;
        if (n == 10 && b[at] == 9 && (b[at + 1] == 2 || b[at + 1] == 3)) {
            seen |= PING;
        }
        seen |= fromClient ? CLIENT : SERVER;
        if (seen == (PING | CLIENT | SERVER)) {
            return DONE;
        }
        ctx.setState(seen);
        return NEED_MORE;
    }

    /** Whether the datagram (after the relay's zero byte, if any) is an exact run of length-prefixed messages. */
    static boolean framed(byte[] b, int off, int len) {
        int p = b[off] == 0 ? 1 : 0;
        if (p == len) {
            return false;
        }
        while (p < len) {
            int v = 0;
            int k = 0;
            int c;
            do {
                if (p >= len || k == MAX_LENGTH_BYTES) {
                    return false;
                }
                c = b[off + p++] & 0xFF;
                v = v << 7 | c & 0x7F;
                k++;
            } while ((c & 0x80) != 0);
            if (v == 0 || v > len - p) {
                return false;
            }
            p += v;
        }
        return true;
    }
}
