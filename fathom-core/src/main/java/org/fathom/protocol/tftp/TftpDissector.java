package org.fathom.protocol.tftp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * TFTP (RFC 1350, options RFC 2347) on UDP 69: a read or write request, opcode 1 or 2, a file
 * name and a mode ({@code netascii}, {@code octet}, {@code mail}) each ending in a zero byte,
 * then option pairs. The transfer itself runs between the client's port and a new server port:
 * it is announced as expected TFTP towards the client's address and port. Metadata:
 * {@code tftp.request} ({@code read}/{@code write}) and {@code tftp.mode}.
 */
public final class TftpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR = Descriptor.udp("TFTP", "DataTransfer", 69).withProbeDepth(1);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.serverPort() != 69 || !fromClient || len < 4 || b[off] != 0 || (b[off + 1] != 1 && b[off + 1] != 2)) {
            return NO;
        }
        int end = off + len;
        int p = off + 2;
        int nameStart = p;
        while (p < end && b[p] != 0) {
            int c = b[p] & 0xFF;
            if (c < 0x20 || c >= 0x7F || p - nameStart > 255) {
                return NO;
            }
            p++;
        }
        if (p == nameStart || p >= end) {
            return NO;
        }
        int modeStart = ++p;
        while (p < end && b[p] != 0) {
            p++;
        }
        if (p >= end) {
            return NO;
        }
        String mode = new String(b, modeStart, p - modeStart, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("netascii") && !mode.equals("octet") && !mode.equals("mail")) {
            return NO;
        }
        ctx.put(Registration.TFTP_REQUEST.key(), b[off + 1] == 1 ? "read" : "write");
        ctx.put(Registration.TFTP_MODE.key(), mode);
        ctx.expect(17, ctx.clientHi(), ctx.clientLo(), ctx.clientPort(), "TFTP", "DataTransfer");
        return DONE;
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("TFTP", "DataTransfer"));
    }

    private static final long[] FIRST_CLIENT = org.fathom.protocol.Dissector.bytes(0x00);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}: the client's opening only. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : null;
    }
}
