package org.fathom.protocol.netbios;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * NetBIOS over TCP/IP (RFC 1002): the name service (UDP 137), the datagram service (UDP 138) and
 * the session service (TCP 139). Each is tied to its port and checked for structure: name-service
 * header with small counts and a first name in first-level encoding (length 32, letters A to P);
 * datagram types 0x10 to 0x16 with the source name so encoded; session request (0x81) with the
 * called name, keep-alive, or a session message carrying SMB. Metadata {@code netbios.name}: the
 * NetBIOS name asked for or registered (name and suffix, e.g. {@code WORKGROUP<1d>}).
 */
public final class NetBiosDissector implements Dissector {
    private static final Descriptor DESCRIPTOR =
            Descriptor.both("NetBIOS", "System", new int[] {139}, new int[] {137, 138}).withProbeDepth(2);

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() == 17) {
            if (has(ctx, 137)) {
                return nameService(ctx, b, off, len) ? DONE : NO;
            }
            if (has(ctx, 138)) {
                return datagram(ctx, b, off, len) ? DONE : NO;
            }
            return NO;
        }
        if (!has(ctx, 139) || len < 4) {
            return NO;
        }
        int type = b[off] & 0xFF;
        int flags = b[off + 1] & 0xFE;
        int length = ((b[off + 1] & 0x01) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        if (flags != 0) {
            return NO;
        }
        switch (type) {
            case 0x81: // session request: called and calling names, 34 bytes each at least
                if (length < 68 || len < 4 + 34 || !encodedName(b, off + 4, len - 4)) {
                    return NO;
                }
                ctx.put(Registration.NETBIOS_NAME.key(), decodeName(b, off + 5));
                return DONE;
            case 0x85: // keep-alive
            case 0x82: // positive response
                return length == 0 && len == 4 ? DONE : NO;
            case 0x00: // session message: SMB inside
                if (len >= 8 && (b[off + 4] == (byte) 0xFF || b[off + 4] == (byte) 0xFE || b[off + 4] == (byte) 0xFD)
                        && b[off + 5] == 'S' && b[off + 6] == 'M' && b[off + 7] == 'B') {
                    return DONE;
                }
                return NO;
            default:
                return NO;
        }
    }

    private static boolean has(FlowContext ctx, int port) {
        return ctx.serverPort() == port || ctx.clientPort() == port;
    }

    private static boolean nameService(FlowContext ctx, byte[] b, int off, int len) {
        if (len < 12 + 34) {
            return false;
        }
        int flags = ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
        int opcode = (flags >>> 11) & 0xF;
        if (opcode != 0 && (opcode < 5 || opcode > 9)) {
            return false;
        }
        int qd = u16(b, off + 4);
        int an = u16(b, off + 6);
        int ns = u16(b, off + 8);
        int ar = u16(b, off + 10);
        if (qd > 1 || an > 1 || ns > 1 || ar > 1 || qd + an == 0) {
            return false;
        }
        if (!encodedName(b, off + 12, len - 12)) {
            return false;
        }
        int p = off + 12 + 33;
        while (p < off + len && b[p] != 0) { // scope labels
            p += 1 + (b[p] & 0xFF);
        }
        if (p + 5 > off + len) {
            return false;
        }
        int type = u16(b, p + 1);
        int cls = u16(b, p + 3);
        if ((type != 0x20 && type != 0x21 && type != 0x0A) || cls != 1) {
            return false;
        }
        ctx.put(Registration.NETBIOS_NAME.key(), decodeName(b, off + 13));
        return true;
    }

    private static boolean datagram(FlowContext ctx, byte[] b, int off, int len) {
        if (len < 14) {
            return false;
        }
        int type = b[off] & 0xFF;
        int flags = b[off + 1] & 0xFF;
        if (type < 0x10 || type > 0x16 || (flags & 0xF0) != 0) {
            return false;
        }
        if (type <= 0x12) {
            int dgmLen = u16(b, off + 10);
            if (len < 14 + 34 || dgmLen + 14 > len || !encodedName(b, off + 14, len - 14)) {
                return false;
            }
            ctx.put(Registration.NETBIOS_NAME.key(), decodeName(b, off + 15));
            int smb = off + 14 + 34 + 34;
            if (len >= 14 + 34 + 34 + 4 && (b[smb] & 0xFF) == 0xFF && b[smb + 1] == 'S' && b[smb + 2] == 'M' && b[smb + 3] == 'B') {
                // the datagram carries an SMB1 message (mailslot browser announcements), as nDPI names it
                ctx.setApplication("SMBv1", "System");
            }
            return true;
        }
        return len <= 14 + 34 + 34;
    }

    /** Length byte 32 followed by 32 characters 'A' to 'P'. */
    static boolean encodedName(byte[] b, int off, int len) {
        if (len < 34 || b[off] != 0x20) {
            return false;
        }
        for (int i = 1; i <= 32; i++) {
            int c = b[off + i];
            if (c < 'A' || c > 'P') {
                return false;
            }
        }
        return true;
    }

    /** First-level decoding: 16 bytes, the last one the suffix. */
    static String decodeName(byte[] b, int off) {
        StringBuilder sb = new StringBuilder(20);
        int suffix = 0;
        for (int i = 0; i < 16; i++) {
            int c = ((b[off + 2 * i] - 'A') << 4) | (b[off + 2 * i + 1] - 'A');
            if (i == 15) {
                suffix = c;
            } else {
                sb.append(c > 0x20 && c < 0x7F ? (char) c : c == 0x20 ? ' ' : '?');
            }
        }
        String name = sb.toString().strip();
        return name + "<" + Character.forDigit(suffix >> 4, 16) + Character.forDigit(suffix & 15, 16) + ">";
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("SMBv1", "System"));
    }
}
