package org.fathom.protocol.snmp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * SNMP v1 (RFC 1157), v2c (RFC 1901) and v3 (RFC 3412) on UDP 161/162: a BER SEQUENCE whose
 * length covers the datagram exactly, an INTEGER version 0, 1 or 3, then an OCTET STRING
 * community and a PDU tag (v1/v2c) or a SEQUENCE msgGlobalData (v3). The community is a password
 * in all but name: it is never recorded. Metadata: {@code snmp.version}, {@code snmp.pdu}.
 */
public final class SnmpDissector implements Dissector {
    private static final Descriptor DESCRIPTOR =
            Descriptor.both("SNMP", "Network", new int[0], new int[] {161, 162}).withProbeDepth(2);
    private static final String[] PDUS = {
        "get-request", "get-next-request", "get-response", "set-request", "trap", "get-bulk-request", "inform-request",
        "snmpV2-trap", "report",
    };

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        if (ctx.l4() != 17 || len < 10 || b[off] != 0x30) {
            return NO;
        }
        int end = off + len;
        long[] tl = new long[2];
        int p = lengthAt(b, off + 1, end, tl);
        if (p < 0 || p + tl[0] != end) {
            return NO;
        }
        if (p + 3 > end || b[p] != 0x02 || b[p + 1] != 0x01) {
            return NO;
        }
        int version = b[p + 2];
        p += 3;
        String pdu;
        if (version == 0 || version == 1) {
            if (p >= end || b[p] != 0x04) {
                return NO;
            }
            int q = lengthAt(b, p + 1, end, tl);
            if (q < 0 || q + tl[0] >= end) {
                return NO;
            }
            p = q + (int) tl[0];
            int tag = b[p] & 0xFF;
            if (tag < 0xA0 || tag > 0xA8) {
                return NO;
            }
            int r = lengthAt(b, p + 1, end, tl);
            if (r < 0 || r + tl[0] != end) {
                return NO;
            }
            pdu = PDUS[tag - 0xA0];
        } else if (version == 3) {
            if (p >= end || b[p] != 0x30) {
                return NO;
            }
            int q = lengthAt(b, p + 1, end, tl);
            if (q < 0 || q + tl[0] > end || q + 3 > end || b[q] != 0x02) {
                return NO; // msgGlobalData starts with msgID
            }
            pdu = null; // v3 PDUs are usually encrypted or follow the security parameters
        } else {
            return NO;
        }
        ctx.put(Registration.SNMP_VERSION.key(), version == 0 ? "1" : version == 1 ? "2c" : "3");
        ctx.put(Registration.SNMP_PDU.key(), pdu);
        return DONE;
    }

    /** Reads a BER length at {@code p}; puts it in {@code out[0]} and returns where the value starts, or -1. */
    static int lengthAt(byte[] b, int p, int end, long[] out) {
        if (p >= end) {
            return -1;
        }
        int first = b[p] & 0xFF;
        if (first < 0x80) {
            out[0] = first;
            return p + 1;
        }
        int n = first & 0x7F;
        if (n == 0 || n > 3 || p + 1 + n > end) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[p + 1 + i] & 0xFF);
        }
        out[0] = v;
        return p + 1 + n;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0x30);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
