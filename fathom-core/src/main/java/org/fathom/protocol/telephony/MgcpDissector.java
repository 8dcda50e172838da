package org.fathom.protocol.telephony;

import static org.fathom.wire.Bytes.allDigits;
import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.isPrintable;
import static org.fathom.wire.Bytes.regionEquals;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Media Gateway Control Protocol (RFC 3435, and the NCS/TGCP profiles) on UDP 2427 (gateways) and
 * 2727 (call agents): a command line {@code VERB transaction-id endpoint@domain MGCP 1.0} with one
 * of the nine verbs, or (on the MGCP ports) a response line {@code code transaction-id [comment]}.
 * Contributes {@code mgcp.command}.
 */
public final class MgcpDissector extends PrefixDissector {
    private static final int[] PORTS = {2427, 2727};
    private static final Descriptor DESCRIPTOR = Descriptor.both("MGCP", "VoIP", PORTS, PORTS).withProbeDepth(3);
    private static final String[] VERBS = {"EPCF", "CRCX", "MDCX", "DLCX", "RQNT", "NTFY", "AUEP", "AUCX", "RSIP"};

    public MgcpDissector() {
        super(DESCRIPTOR, 512);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int c0 = b[off];
        if ((c0 < 'A' || c0 > 'Z') && (c0 < '0' || c0 > '9')) {
            return NO; // cheap refusal before any line scanning
        }
        int eol = indexOf(b, off, len, 0, 256, '\n');
        if (eol < 0) {
            return ctx.l4() == 17 || len >= 256 ? NO : (len < 5 || plausible(b, off, len) ? NEED_MORE : NO);
        }
        int end = eol > 0 && b[off + eol - 1] == '\r' ? eol - 1 : eol;
        for (int i = 0; i < end; i++) {
            if (!isPrintable(b[off + i] & 0xFF) && b[off + i] != '\t') {
                return NO;
            }
        }
        String verb = null;
        for (String v : VERBS) {
            if (regionEquals(b, off, end, 0, v + " ")) {
                verb = v;
            }
        }
        if (verb != null) {
            int t = 5;
            int sp = indexOf(b, off, end, t, end, ' ');
            if (sp < 0 || sp - t > 9 || !allDigits(b, off, t, sp)) {
                return NO;
            }
            int sp2 = indexOf(b, off, end, sp + 1, end, ' ');
            if (sp2 < 0 || indexOf(b, off, sp2, sp + 1, sp2, '@') < 0) {
                return NO;
            }
            int v = sp2 + 1;
            if (!(regionEquals(b, off, end, v, "MGCP ") || regionEquals(b, off, end, v, "NCS ") || regionEquals(b, off, end, v, "TGCP "))) {
                return NO;
            }
            ctx.put(Registration.MGCP_COMMAND.key(), verb);
            return DONE;
        }
        boolean onPort = ctx.serverPort() == 2427 || ctx.serverPort() == 2727 || ctx.clientPort() == 2427 || ctx.clientPort() == 2727;
        if (onPort && end >= 5 && allDigits(b, off, 0, 3) && b[off + 3] == ' ') {
            int sp = indexOf(b, off, end, 4, end, ' ');
            int e = sp < 0 ? end : sp;
            if (e - 4 >= 1 && e - 4 <= 9 && allDigits(b, off, 4, e)) {
                ctx.put(Registration.MGCP_COMMAND.key(), "response");
                return DONE;
            }
        }
        return NO;
    }

    private static boolean plausible(byte[] b, int off, int len) {
        for (String v : VERBS) {
            if (org.fathom.wire.Bytes.prefixOf(b, off, len, v)) {
                return true;
            }
        }
        return allDigits(b, off, 0, Math.min(3, len));
    }
}
