package org.fathom.protocol.ike;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;
import org.fathom.wire.text.Ascii;

/**
 * IKE, the key exchange of IPsec (ISAKMP/IKEv1, RFC 2408/2409; IKEv2, RFC 7296), on UDP 500 and,
 * behind NAT, on UDP 4500 after the four-byte non-ESP marker (RFC 3948). nDPI names these flows
 * {@code IPSec}. One datagram is enough: its 28-byte header must have a non-zero initiator SPI, a
 * known next-payload type for its major version (1 or 2, minor 0), a known exchange type, no
 * undefined flag bits, and a length equal to the message's. On 4500 a flow already in ESP (no
 * marker) is taken when two datagrams from one side carry the same SPI with growing sequence
 * numbers. IKE over TCP (RFC 8229) is recognised from the {@code IKETCP} stream prefix and a first
 * length-framed message holding a non-ESP marker and a valid IKE header. Contributes
 * {@code ipsec.ike_version}.
 */
public final class IkeDissector implements Dissector {
    static final int HEADER = 28;
    private static final Descriptor DESCRIPTOR = Descriptor.both("IPSec", "VPN", new int[] {500, 4500}, new int[] {500, 4500}).withProbeDepth(4);
    static final String TCP_PREFIX = "IKETCP";
    private static final RecordFramer.Header TCP_LENGTH = (b, o) -> {
        int l = ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
        return l < 2 + 4 + HEADER ? -1 : l;
    };

    private static final FramedState.Framing FRAMING = new FramedState.Framing(2, 64, TCP_LENGTH);

    /** IKE over TCP (RFC 8229): the initiator's stream prefix, then length-framed messages. */
    static final class TcpState extends FramedState {
        int prefix;

        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            // a non-ESP marker, then the IKE header whose length is the rest of the message
            boolean marker = len >= 2 + 4 + HEADER && b[off + 2] == 0 && b[off + 3] == 0 && b[off + 4] == 0 && b[off + 5] == 0;
            int v = marker ? ikeVersionWithLength(b, off + 6, full - 6) : -1;
            if (v < 0) {
                return NO;
            }
            ctx.put(Registration.IPSEC_IKE_VERSION.key(), (long) v);
            return DONE;
        }
    }

    /** ESP-in-UDP tracking for a flow that starts after the key exchange. */
    static final class EspState {
        final int[] spi = new int[2];
        final long[] seq = {-1, -1};
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() == 6) {
            return tcp(ctx, fromClient, b, off, len);
        }
        boolean natT = ctx.serverPort() == 4500 || ctx.clientPort() == 4500;
        if (len == 1 && (b[off] & 0xFF) == 0xFF && natT) {
            return NEED_MORE; // NAT-keepalive (RFC 3948 section 2.3)
        }
        int o = off;
        int n = len;
        if (natT) {
            if (len >= 4 && b[off] == 0 && b[off + 1] == 0 && b[off + 2] == 0 && b[off + 3] == 0) {
                o += 4; // non-ESP marker: IKE follows
                n -= 4;
            } else {
                return esp(ctx, fromClient, b, off, len); // ESP in UDP
            }
        }
        int v = ikeVersion(b, o, n);
        if (v < 0) {
            return NO;
        }
        ctx.put(Registration.IPSEC_IKE_VERSION.key(), (long) v);
        return DONE;
    }

    private static int tcp(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        TcpState st = (TcpState) ctx.state();
        if (st == null) {
            if (!fromClient || !Ascii.couldStartWith(b, off, len, TCP_PREFIX)) {
                return NO;
            }
            st = new TcpState();
            ctx.setState(st);
        }
        if (fromClient && st.prefix < TCP_PREFIX.length()) {
            int n = Math.min(len, TCP_PREFIX.length() - st.prefix);
            for (int i = 0; i < n; i++) {
                if (b[off + i] != TCP_PREFIX.charAt(st.prefix + i)) {
                    return NO;
                }
            }
            st.prefix += n;
            off += n;
            len -= n;
        }
        return st.feed(FRAMING, ctx, fromClient, b, off, len);
    }

    private static int esp(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (len < 16) {
            return NO;
        }
        int spi = ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        long seq = (((b[off + 4] & 0xFF) << 24) | ((b[off + 5] & 0xFF) << 16) | ((b[off + 6] & 0xFF) << 8) | (b[off + 7] & 0xFF)) & 0xFFFF_FFFFL;
        if (Integer.compareUnsigned(spi, 256) < 0 || seq == 0) {
            return NO; // SPI 1..255 reserved (RFC 4303), sequence numbers start at 1
        }
        EspState st = (EspState) ctx.state();
        if (st == null) {
            st = new EspState();
            ctx.setState(st);
        }
        int side = fromClient ? 0 : 1;
        if (st.seq[side] < 0) {
            st.spi[side] = spi;
            st.seq[side] = seq;
            return NEED_MORE;
        }
        if (st.spi[side] != spi || seq <= st.seq[side] || seq - st.seq[side] > 64) {
            return NO;
        }
        return DONE;
    }

    /** The IKE major version (1 or 2) of a valid ISAKMP message at {@code b[o..o+n)}, or -1. */
    static int ikeVersion(byte[] b, int o, int n) {
        if (n < HEADER) {
            return -1;
        }
        return ikeVersionWithLength(b, o, n);
    }

    /** The version of the header at {@code b[o..o+28)} if its length field says {@code n}, or -1. */
    private static int ikeVersionWithLength(byte[] b, int o, int n) {
        boolean spiZero = true;
        for (int i = 0; i < 8; i++) {
            if (b[o + i] != 0) {
                spiZero = false;
                break;
            }
        }
        if (spiZero) {
            return -1;
        }
        int version = b[o + 17] & 0xFF;
        int exchange = b[o + 18] & 0xFF;
        long length = (((b[o + 24] & 0xFF) << 24) | ((b[o + 25] & 0xFF) << 16) | ((b[o + 26] & 0xFF) << 8) | (b[o + 27] & 0xFF)) & 0xFFFF_FFFFL;
        if (length != n) {
            return -1;
        }
        // Undefined flag bits "MUST be ignored on receipt" (RFC 7296 section 3.1), and an unknown next
        // payload is an error the receiver reports, not another protocol: neither is required.
        if (version == 0x10) {
            boolean exOk = (exchange >= 1 && exchange <= 5) || exchange == 32 || exchange == 33;
            return exOk ? 1 : -1;
        }
        if (version == 0x20) {
            boolean exOk = (exchange >= 34 && exchange <= 38) || exchange == 43 || exchange == 44;
            return exOk ? 2 : -1;
        }
        return -1;
    }
}
