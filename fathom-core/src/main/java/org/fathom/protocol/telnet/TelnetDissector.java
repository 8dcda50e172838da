package org.fathom.protocol.telnet;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;

/**
 * Telnet (RFC 854, 855): either side opens with option negotiation, {@code IAC} (255) followed by
 * WILL/WONT/DO/DONT (251..254) and an option code, or a subnegotiation {@code IAC SB ... IAC SE}.
 * A flow is recognised when its first payload holds two well-formed negotiations, or one that the
 * other side answers with a negotiation of its own.
 */
public final class TelnetDissector implements Dissector {
    static final int IAC = 255;
    static final int SB = 250;
    static final int SE = 240;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("Telnet", "RemoteAccess", 23).withProbeDepth(3);

    static final class State {
        int opener = -1;
        boolean answered;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        int side = fromClient ? 0 : 1;
        if (st == null) {
            if (len < 3 || (b[off] & 0xFF) != IAC) {
                return NO;
            }
            int n = negotiations(b, off, len);
            if (n <= 0) {
                return NO;
            }
            if (n >= 2) {
                return DONE;
            }
            st = new State();
            st.opener = side;
            ctx.setState(st);
            return NEED_MORE;
        }
        if (side == st.opener) {
            return NEED_MORE;
        }
        return len >= 3 && (b[off] & 0xFF) == IAC && negotiations(b, off, len) > 0 ? DONE : NO;
    }

    /**
     * Well-formed negotiations at the start of the payload (stopping at the first data byte, or at a
     * command cut by the end of the payload); -1 when a malformed command comes first.
     */
    static int negotiations(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        int n = 0;
        while (i < end && (b[i] & 0xFF) == IAC) {
            if (i + 1 >= end) {
                return n;
            }
            int cmd = b[i + 1] & 0xFF;
            if (cmd >= 251 && cmd <= 254) {
                if (i + 2 >= end) {
                    return n;
                }
                if (!knownOption(b[i + 2] & 0xFF)) {
                    return n == 0 ? -1 : n;
                }
                n++;
                i += 3;
            } else if (cmd == SB) {
                if (i + 2 >= end || !knownOption(b[i + 2] & 0xFF)) {
                    return n == 0 ? -1 : n;
                }
                int j = i + 3;
                while (j + 1 < end && !((b[j] & 0xFF) == IAC && (b[j + 1] & 0xFF) == SE)) {
                    j++;
                }
                if (j + 1 >= end) {
                    return n;
                }
                n++;
                i = j + 2;
            } else if (cmd >= 241 && cmd <= 249) {
                i += 2; // NOP, DM, BRK, IP, AO, AYT, EC, EL, GA
            } else {
                return n == 0 ? -1 : n;
            }
        }
        return n;
    }

    /** Option codes assigned by IANA (0..49, 138..140, 255). */
    static boolean knownOption(int o) {
        return o <= 49 || (o >= 138 && o <= 140) || o == 255;
    }
}
