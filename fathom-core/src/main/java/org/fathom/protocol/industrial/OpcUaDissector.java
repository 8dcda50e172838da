package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.allPrintable;
import static org.fathom.wire.Bytes.ascii;
import static org.fathom.wire.Bytes.prefixOf;
import static org.fathom.wire.Bytes.regionEquals;
import static org.fathom.wire.Bytes.u32le;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * OPC UA Connection Protocol (OPC 10000-6 §7.1): the client's Hello ({@code HELF}) or the server's
 * ReverseHello ({@code RHEF}) with message size, protocol version 0, and an endpoint URL of the
 * {@code opc.tcp://} scheme; or, on TCP 4840, any UA TCP message type with a sane size. Contributes
 * {@code opcua.endpoint_url}.
 */
public final class OpcUaDissector extends PrefixDissector {
    static final int PORT = 4840;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("OPC-UA", "IoT-Scada", PORT).withProbeDepth(4);

    public OpcUaDissector() {
        super(DESCRIPTOR, 4096);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (prefixOf(b, off, len, "HELF")) {
            return hello(ctx, b, off, len, 28);
        }
        if (prefixOf(b, off, len, "RHEF")) {
            return reverseHello(ctx, b, off, len);
        }
        boolean onPort = ctx.serverPort() == PORT || ctx.clientPort() == PORT;
        if (!onPort || len < 3) {
            return !onPort ? NO : (prefixOf(b, off, len, "ACK") || prefixOf(b, off, len, "OPN") || prefixOf(b, off, len, "MSG")
                    || prefixOf(b, off, len, "CLO") || prefixOf(b, off, len, "ERR") ? NEED_MORE : NO);
        }
        if (!(regionEquals(b, off, len, 0, "ACK") || regionEquals(b, off, len, 0, "OPN") || regionEquals(b, off, len, 0, "MSG")
                || regionEquals(b, off, len, 0, "CLO") || regionEquals(b, off, len, 0, "ERR"))) {
            return NO;
        }
        if (len < 8) {
            return NEED_MORE;
        }
        int chunk = b[off + 3];
        long size = u32le(b, off + 4);
        return (chunk == 'F' || chunk == 'C' || chunk == 'A') && size >= 8 && size <= 1 << 24 ? DONE : NO;
    }

    private static int hello(FlowContext ctx, byte[] b, int off, int len, int urlAt) {
        if (len < urlAt + 4) {
            return NEED_MORE;
        }
        long size = u32le(b, off + 4);
        if (u32le(b, off + 8) != 0 || size < urlAt + 4 || size > 8192) {
            return NO;
        }
        return url(ctx, b, off, len, urlAt, size);
    }

    private static int reverseHello(FlowContext ctx, byte[] b, int off, int len) {
        // ServerUri (string) then EndpointUrl (string)
        if (len < 12) {
            return NEED_MORE;
        }
        long size = u32le(b, off + 4);
        long n = u32le(b, off + 8);
        if (size < 16 || size > 8192 || n > size) {
            return NO;
        }
        int at = 12 + (int) n;
        if (len < at + 4) {
            return NEED_MORE;
        }
        return url(ctx, b, off, len, at, size);
    }

    private static int url(FlowContext ctx, byte[] b, int off, int len, int at, long size) {
        long n = u32le(b, off + at);
        if (n < 10 || n > 4096 || at + 4 + n > size) {
            return NO;
        }
        int from = at + 4;
        int check = (int) Math.min(n, len - from);
        if (!prefixOf(b, off + from, check, "opc.tcp://")) {
            return NO;
        }
        if (check < n) {
            return NEED_MORE;
        }
        if (!allPrintable(b, off, from, from + (int) n)) {
            return NO;
        }
        ctx.put(Registration.OPCUA_ENDPOINT_URL.key(), ascii(b, off, from, from + (int) n, 200));
        return DONE;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes('H', 'A', 'O', 'M', 'E', 'C', 'R');

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
