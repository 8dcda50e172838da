package org.fathom.protocol.database;

import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * DRDA (The Open Group, DRDA Vol. 3: Distributed Data Management Architecture), IBM Db2's and
 * Apache Derby's wire protocol, on any TCP port: every message starts with a DSS header (length,
 * the magic byte {@code 0xD0}, a format byte of a known DSS type, a request correlator) wrapping
 * one DDM object whose own length is the DSS length minus 6 and whose code point is in the DDM
 * range (e.g. {@code 0x1041} EXCSAT). Nothing is recorded.
 */
public final class DrdaDissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = new Descriptor("DRDA", "Database", Descriptor.TCP, new int[0], new int[0], 3);

    public DrdaDissector() {
        super(DESCRIPTOR, 16);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        if (len < 10) {
            return len >= 3 && u8(b, off + 2) != 0xD0 ? NO : NEED_MORE;
        }
        int dss = u16(b, off);
        int format = u8(b, off + 3);
        int type = format & 0x0F;
        int ddm = u16(b, off + 6);
        int codePoint = u16(b, off + 8);
        if (u8(b, off + 2) != 0xD0 || dss < 10 || type < 1 || type > 5 || (format & 0x80) != 0
                || ddm != dss - 6 || codePoint < 0x1000 || codePoint > 0x2FFF) {
            return NO;
        }
        return MATCH;
    }
}
