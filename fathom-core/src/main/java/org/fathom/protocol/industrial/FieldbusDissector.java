package org.fathom.protocol.industrial;

import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u16le;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Small industrial protocols whose first message has a fixed, documented shape:
 * <ul>
 * <li>GE Ethernet Global Data (UDP 18246): PDU type 0x0D, version 1, a 32-byte header.</li>
 * <li>Saia Ether-S-Bus (UDP 5050): a length equal to the datagram, version and protocol type 0/1,
 * a sequence number and a telegram attribute of request (0), response (1) or ack (2).</li>
 * <li>CNP/IP, ANSI/EIA-852 LonWorks tunnelling (UDP 1628/1629): a packet size equal to the
 * datagram, version 1 and a defined packet type.</li>
 * <li>CIP class 0/1 implicit I/O (ODVA Vol. 2, UDP 2222): a common packet format with two items,
 * a sequenced address item of length 8 and a connected data item filling the datagram.</li>
 * <li>ANSI C12.22 (TCP/UDP 1153): an ACSE association PDU ([APPLICATION 0], tag 0x60) whose
 * called or calling AP title lies under the C12.22 object identifier 2.16.124.113620.1.22.</li>
 * <li>Veeder-Root automatic tank gauges (TCP 10001, "TLS-3XX serial interface" computer and
 * display formats): SOH, a command letter (I, i, S or s), then a 3-character function code and a
 * 2-digit tank number.</li>
 * </ul>
 */
public final class FieldbusDissector extends PrefixDissector {
    private static final int EGD = 0;
    private static final int SBUS = 1;
    private static final int CNP = 2;
    private static final int CIP = 3;
    private static final int C1222 = 4;
    private static final int ATG = 5;
    /** BER-encoded start of the C12.22 root OID 2.16.124.113620.1.22. */
    private static final String C1222_OID = "\140\174\206\367\124\001\026";

    private final int kind;

    private FieldbusDissector(Descriptor descriptor, int kind) {
        this(descriptor, kind, null);
    }

    /** {@code gate}: the ports judged (on either side); for most the descriptor's list, none for C12.22. */
    private FieldbusDissector(Descriptor descriptor, int kind, int[] gate) {
        super(descriptor, 256, kind == C1222 ? null : gate != null ? gate : ports(descriptor));
        this.kind = kind;
    }

    /** The descriptor's ports of its one transport (all kinds but C12.22 are TCP-only or UDP-only). */
    private static int[] ports(Descriptor d) {
        return d.transports() == Descriptor.TCP ? d.tcpPorts() : d.udpPorts();
    }

    public static FieldbusDissector egd() {
        return new FieldbusDissector(Descriptor.udp("EthernetGlobalData", "IoT-Scada", 18246).withProbeDepth(2), EGD);
    }

    public static FieldbusDissector etherSBus() {
        return new FieldbusDissector(Descriptor.udp("Ether-S-Bus", "IoT-Scada", 5050).withProbeDepth(2), SBUS);
    }

    public static FieldbusDissector cnpIp() {
        return new FieldbusDissector(Descriptor.udp("CNP-IP", "IoT-Scada", 1628, 1629).withProbeDepth(2), CNP);
    }

    public static FieldbusDissector cipIo() {
        return new FieldbusDissector(Descriptor.udp("CIP", "IoT-Scada", 2222).withProbeDepth(2), CIP);
    }

    public static FieldbusDissector c1222() {
        int[] p = {1153};
        return new FieldbusDissector(Descriptor.both("ANSI_C1222", "IoT-Scada", p, p).withProbeDepth(3), C1222);
    }

    public static FieldbusDissector atg() {
        // 10001 is shared by many products: judged there, but not a port to guess ATG from
        return new FieldbusDissector(Descriptor.tcp("ATG", "IoT-Scada").withProbeDepth(3), ATG, new int[] {10001});
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        boolean udp = ctx.l4() == 17;
        return switch (kind) {
            case EGD -> len >= 32 && b[off] == 0x0D && b[off + 1] == 0x01 ? DONE : NO;
            case SBUS -> len >= 9 && u32(b, off) == len && u8(b, off + 4) <= 1 && u8(b, off + 5) <= 1 && u8(b, off + 8) <= 2
                    ? DONE : NO;
            case CNP -> {
                int type = len >= 4 ? u8(b, off + 3) : 0;
                yield len >= 20 && u16(b, off) == len && b[off + 2] == 0x01 && type >= 0x01 && type <= 0x7F ? DONE : NO;
            }
            case CIP -> len >= 18 && u16le(b, off) == 2 && u16le(b, off + 2) == 0x8002 && u16le(b, off + 4) == 8
                    && u16le(b, off + 14) == 0x00B1 && u16le(b, off + 16) == len - 18 ? DONE : NO;
            case C1222 -> c1222(b, off, len, udp);
            default -> atg(b, off, len);
        };
    }

    private static int c1222(byte[] b, int off, int len, boolean udp) {
        if (u8(b, off) != 0x60) {
            return NO;
        }
        if (len < 2) {
            return udp ? NO : NEED_MORE;
        }
        int l = u8(b, off + 1);
        int hdr = 2;
        if (l == 0x81 || l == 0x82) {
            int n = l - 0x80;
            if (len < 2 + n) {
                return udp ? NO : NEED_MORE;
            }
            l = n == 1 ? u8(b, off + 2) : u16(b, off + 2);
            hdr = 2 + n;
        } else if (l > 0x7F) {
            return NO;
        }
        if (udp ? hdr + l != len : hdr + l > 4096) {
            return NO;
        }
        int window = Math.min(len, 48);
        if (indexOf(b, off, window, C1222_OID, window) >= 0) {
            return DONE;
        }
        return len >= 48 || (udp || len >= hdr + l) ? NO : NEED_MORE;
    }

    private static int atg(byte[] b, int off, int len) {
        if (b[off] != 0x01) {
            return NO;
        }
        if (len < 7) {
            return len < 2 || "IiSs".indexOf(b[off + 1]) >= 0 ? NEED_MORE : NO;
        }
        if ("IiSs".indexOf(b[off + 1]) < 0) {
            return NO;
        }
        for (int i = 2; i < 7; i++) {
            int c = b[off + i];
            boolean ok = (c >= '0' && c <= '9') || (i < 5 && c >= 'A' && c <= 'Z');
            if (!ok) {
                return NO;
            }
        }
        return DONE;
    }
}
