package org.fathom.protocol.socks;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.text.Ascii;

/**
 * SOCKS proxies. Version 4/4a: the client's CONNECT or BIND request (version 4, command 1|2,
 * port, IPv4 address, NUL-terminated user id, and for 4a a NUL-terminated host name after an
 * address 0.0.0.x) answered by an 8-byte reply (version 0, code 90..93). Version 5 (RFC 1928):
 * the client's method offer (version 5, count, methods) answered by the server's choice among
 * them; then the username/password sub-negotiation (RFC 1929), which sends the password in clear
 * ({@link Risk#CLEARTEXT_CREDENTIALS}, never stored), and the request (command 1..3, address type
 * 1|3|4). Contributes {@code socks.version} and {@code socks.host} (the destination host name, also
 * given to the service catalog).
 */
public final class SocksDissector implements Dissector {
    static final int CAP = 520;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("SOCKS", "Web", 1080).withProbeDepth(4);

    static final int V4_REQUEST = 0;
    static final int V4_REPLY = 1;
    static final int V5_OFFER = 2;
    static final int V5_CHOICE = 3;
    static final int V5_AUTH = 4;
    static final int V5_REQUEST = 5;
    static final int FINISHED = 6;
    private static final int WAIT = -1;
    private static final int BAD = -2;

    static final class State {
        final byte[][] buf = new byte[2][];
        final int[] len = new int[2];
        int phase;
        byte[] offered;
        boolean matched;
        String v4Host; // SOCKS 4a host name, given to the flow once the reply confirms
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            if (!fromClient || len < 1 || (b[off] != 4 && b[off] != 5)) {
                return NO;
            }
            if (len >= 2 && (b[off] == 4 ? b[off + 1] != 1 && b[off + 1] != 2 : b[off + 1] == 0 || len > 2 + (b[off + 1] & 0xFF))) {
                return NO; // SOCKS 4 command 1|2; SOCKS 5 offer of 1..255 methods and nothing more
            }
            st = new State();
            st.phase = b[off] == 4 ? V4_REQUEST : V5_OFFER;
            ctx.setState(st);
        }
        int side = fromClient ? 0 : 1;
        if (st.buf[side] == null) {
            st.buf[side] = new byte[CAP];
        }
        int n = Math.min(CAP - st.len[side], len);
        System.arraycopy(b, off, st.buf[side], st.len[side], n);
        st.len[side] += n;
        while (st.phase != FINISHED) {
            boolean clientTurn = st.phase != V4_REPLY && st.phase != V5_CHOICE;
            int turn = clientTurn ? 0 : 1;
            if (!st.matched && st.len[1 - turn] > 0) {
                return NO; // the peer spoke out of turn
            }
            int r = st.len[turn] == 0 ? WAIT : message(ctx, st, st.buf[turn], st.len[turn]);
            if (r == BAD) {
                return st.matched ? DONE : NO;
            }
            if (r == WAIT) {
                if (st.len[turn] >= CAP) {
                    return st.matched ? DONE : NO; // longer than any handshake message
                }
                return st.matched ? MATCH : NEED_MORE;
            }
            System.arraycopy(st.buf[turn], r, st.buf[turn], 0, st.len[turn] - r);
            st.len[turn] -= r;
        }
        return DONE;
    }

    /** Parses the message the current phase expects; its length, WAIT or BAD. Advances the phase. */
    private static int message(FlowContext ctx, State st, byte[] m, int n) {
        switch (st.phase) {
            case V4_REQUEST -> {
                int r = v4Request(st, m, n);
                if (r > 0) {
                    st.phase = V4_REPLY;
                }
                return r;
            }
            case V4_REPLY -> {
                if (n < 8) {
                    return m[0] == 0 ? WAIT : BAD;
                }
                int code = m[1] & 0xFF;
                if (m[0] != 0 || code < 90 || code > 93) {
                    return BAD;
                }
                st.matched = true;
                ctx.put(Registration.SOCKS_VERSION.key(), 4L);
                if (st.v4Host != null) {
                    ctx.put(Registration.SOCKS_HOST.key(), st.v4Host);
                    ctx.setHost(st.v4Host, false);
                }
                st.phase = FINISHED;
                return 8;
            }
            case V5_OFFER -> {
                if (n < 2) {
                    return WAIT;
                }
                int k = m[1] & 0xFF;
                if (k == 0 || n > 2 + k) {
                    return BAD;
                }
                if (n < 2 + k) {
                    return WAIT;
                }
                st.offered = java.util.Arrays.copyOfRange(m, 2, 2 + k);
                st.phase = V5_CHOICE;
                return 2 + k;
            }
            case V5_CHOICE -> {
                if (n < 2) {
                    return m[0] == 5 ? WAIT : BAD;
                }
                int method = m[1] & 0xFF;
                if (m[0] != 5 || !(method == 0xFF || offered(st, method))) {
                    return BAD;
                }
                st.matched = true;
                ctx.put(Registration.SOCKS_VERSION.key(), 5L);
                st.phase = method == 0xFF ? FINISHED : method == 2 ? V5_AUTH : V5_REQUEST;
                return 2;
            }
            case V5_AUTH -> {
                // RFC 1929: VER 1, ULEN, UNAME, PLEN, PASSWD
                if (m[0] != 1) {
                    return BAD;
                }
                if (n < 2) {
                    return WAIT;
                }
                int ul = m[1] & 0xFF;
                if (n < 3 + ul) {
                    return WAIT;
                }
                int pl = m[2 + ul] & 0xFF;
                if (n < 3 + ul + pl) {
                    return WAIT;
                }
                if (pl > 0) {
                    ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
                }
                st.phase = V5_REQUEST;
                return 3 + ul + pl;
            }
            case V5_REQUEST -> {
                int r = v5Request(ctx, m, n);
                if (r > 0) {
                    st.phase = FINISHED;
                }
                return r;
            }
            default -> {
                return BAD;
            }
        }
    }

    private static boolean offered(State st, int method) {
        for (byte o : st.offered) {
            if ((o & 0xFF) == method) {
                return true;
            }
        }
        return false;
    }

    private static int v5Request(FlowContext ctx, byte[] m, int n) {
        if (n < 4) {
            return WAIT;
        }
        int cmd = m[1] & 0xFF;
        int atyp = m[3] & 0xFF;
        if (m[0] != 5 || cmd < 1 || cmd > 3 || m[2] != 0) {
            return BAD;
        }
        int need;
        switch (atyp) {
            case 1 -> need = 4 + 4 + 2;
            case 4 -> need = 4 + 16 + 2;
            case 3 -> {
                if (n < 5) {
                    return WAIT;
                }
                need = 5 + (m[4] & 0xFF) + 2;
            }
            default -> {
                return BAD;
            }
        }
        if (n < need) {
            return WAIT;
        }
        if (atyp == 3) {
            host(ctx, m, 5, m[4] & 0xFF);
        }
        return need;
    }

    private static int v4Request(State st, byte[] m, int n) {
        if (n < 2) {
            return WAIT;
        }
        int cmd = m[1] & 0xFF;
        if (cmd != 1 && cmd != 2) {
            return BAD;
        }
        if (n < 9) {
            return WAIT;
        }
        int nul = indexOf(m, 8, n, (byte) 0);
        if (nul < 0) {
            return n > 8 + 255 ? BAD : WAIT;
        }
        if (!Ascii.allText(m, 8, nul - 8)) {
            return BAD;
        }
        int end = nul + 1;
        if (m[4] == 0 && m[5] == 0 && m[6] == 0 && m[7] != 0) {
            // SOCKS 4a: the host name follows the user id
            int nul2 = indexOf(m, end, n, (byte) 0);
            if (nul2 < 0) {
                return n - end > 255 ? BAD : WAIT;
            }
            if (nul2 == end || !Ascii.allText(m, end, nul2 - end)) {
                return BAD;
            }
            st.v4Host = Ascii.string(m, end, nul2 - end, 255).toLowerCase(java.util.Locale.ROOT);
            end = nul2 + 1;
        }
        return n == end ? end : BAD; // nothing follows the request before the reply
    }

    private static void host(FlowContext ctx, byte[] m, int p, int n) {
        if (n == 0 || !Ascii.allText(m, p, n)) {
            return;
        }
        String h = Ascii.string(m, p, n, 255).toLowerCase(java.util.Locale.ROOT);
        ctx.put(Registration.SOCKS_HOST.key(), h);
        ctx.setHost(h, false);
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static final long[] FIRST_CLIENT = org.fathom.protocol.Dissector.bytes(0x04, 0x05);

    /** See {@link org.fathom.protocol.Dissector#firstBytes}: the client's opening only. */
    @Override
    public long[] firstBytes(boolean fromClient) {
        return fromClient ? FIRST_CLIENT : null;
    }
}
