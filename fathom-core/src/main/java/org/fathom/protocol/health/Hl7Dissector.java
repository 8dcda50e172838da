package org.fathom.protocol.health;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * HL7 version 2 messages over MLLP (HL7 "Minimal Lower Layer Protocol" release 2), registered for
 * TCP 2575: each message is framed by a vertical tab ({@code 0x0B}) and starts with its MSH
 * segment, {@code MSH} followed by the field separator and the four encoding characters. The
 * acknowledgement (an {@code MSH} too) decides the other side. Messages hold patient data: nothing
 * is recorded.
 */
public final class Hl7Dissector extends PrefixDissector {
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("HL7", "RPC", 2575).withProbeDepth(3);

    public Hl7Dissector() {
        super(DESCRIPTOR, 9);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        String head = "\u000BMSH";
        for (int i = 0; i < Math.min(len, 4); i++) {
            if (b[off + i] != head.charAt(i)) {
                return NO;
            }
        }
        if (len < 9) {
            return NEED_MORE;
        }
        // field separator, then component, repetition, escape and subcomponent characters
        for (int i = 4; i < 9; i++) {
            int c = b[off + i] & 0xFF;
            if (c < 0x21 || c > 0x7E || Character.isLetterOrDigit(c)) {
                return NO;
            }
        }
        return MATCH;
    }

    private static final long[] FIRST = org.fathom.protocol.Dissector.bytes(0x0B);

    @Override
    public long[] firstBytes(boolean fromClient) {
        return FIRST;
    }
}
