package org.fathom.protocol.tds;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.Risk;
import org.fathom.wire.frames.FramedState;
import org.fathom.wire.frames.RecordFramer;

/**
 * Microsoft SQL Server's Tabular Data Stream ([MS-TDS]) over TCP (1433, and 1434 for the dedicated
 * administrator connection). Every TDS packet has an 8-byte
 * header: type, status, big-endian length (header included), SPID, packet id, window (0). A flow
 * is recognised from a client packet whose header is valid and whose body has the structure of its
 * type: PRELOGIN (0x12) an option table ending in 0xFF, LOGIN7 (0x10) a login record of the right
 * length and a TDS 7.x version, SQL batch (0x01) / RPC (0x03) / transaction manager request (0x0E)
 * either the ALL_HEADERS block of TDS 7.2+ or UTF-16LE text / a procedure name or id, attention
 * (0x06) an empty body. A LOGIN7 seen outside TLS with a non-empty password is
 * {@link Risk#CLEARTEXT_CREDENTIALS} (the password is only obfuscated, never stored).
 */
public final class TdsDissector implements Dissector {
    static final int CAP = 1024;
    static final int HEADER = 8;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("MsSQL-TDS", "Database", 1433, 1434).withProbeDepth(3);
    private static final RecordFramer.Header TDS_HEADER = TdsDissector::packetLength;
    private static final FramedState.Framing FRAMING = new FramedState.Framing(HEADER, CAP, TDS_HEADER);

    static final class State extends FramedState {
        @Override
        protected int onRecord(FlowContext ctx, boolean fromClient, byte[] b, int off, int len, int full) {
            int type = b[off] & 0xFF;
            boolean matched = verdict() == MATCH;
            if (!fromClient) {
                // server answers are tabular results; they confirm, but never start, a match
                if (type != 0x04) {
                    return matched ? DONE : NO;
                }
                return matched ? DONE : NEED_MORE;
            }
            boolean ok = switch (type) {
                case 0x12 -> preLogin(b, off + HEADER, len - HEADER, full - HEADER);
                case 0x10 -> {
                    boolean l = login7(b, off + HEADER, len - HEADER, full - HEADER);
                    if (l && loginPassword(b, off + HEADER, len - HEADER)) {
                        ctx.addRisk(Risk.CLEARTEXT_CREDENTIALS);
                    }
                    yield l;
                }
                case 0x01, 0x03, 0x0E -> request(type, b, off + HEADER, len - HEADER, full - HEADER);
                case 0x06 -> full == HEADER;
                default -> false;
            };
            if (!ok) {
                return matched ? DONE : NO;
            }
            return MATCH;
        }
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (st == null) {
            // cheap first check before any allocation
            if (len >= HEADER && packetLength(b, off) < 0) {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        return st.feed(FRAMING, ctx, fromClient, b, off, len);
    }

    /** Total length of the TDS packet whose header is at {@code b[o]}, or -1 if the header is invalid. */
    static int packetLength(byte[] b, int o) {
        int type = b[o] & 0xFF;
        int status = b[o + 1] & 0xFF;
        int length = ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
        boolean typeOk = type == 0x01 || type == 0x03 || type == 0x04 || type == 0x06 || type == 0x07
                || type == 0x0E || type == 0x10 || type == 0x11 || type == 0x12;
        if (!typeOk || (status & ~0x1B) != 0 || length < HEADER || length > 32768 || b[o + 7] != 0) {
            return -1;
        }
        return length;
    }

    /** PRELOGIN option table: (token, offset, length) entries ending with 0xFF, data inside the body. */
    static boolean preLogin(byte[] b, int p, int n, int full) {
        int i = 0;
        int options = 0;
        while (i < n) {
            int token = b[p + i] & 0xFF;
            if (token == 0xFF) {
                return options > 0;
            }
            if (token > 0x08 || i + 5 > n) {
                return false;
            }
            int o = ((b[p + i + 1] & 0xFF) << 8) | (b[p + i + 2] & 0xFF);
            int l = ((b[p + i + 3] & 0xFF) << 8) | (b[p + i + 4] & 0xFF);
            if (o + l > full) {
                return false;
            }
            options++;
            i += 5;
        }
        return false;
    }

    /** LOGIN7: its own length field equals the body, TDS version 7.x. */
    static boolean login7(byte[] b, int p, int n, int full) {
        if (n < 36) {
            return false;
        }
        long l = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | ((long) (b[p + 3] & 0xFF) << 24);
        int major = b[p + 7] & 0xFF;
        return l >= 36 && l <= full && major >= 0x70 && major <= 0x74;
    }

    private static boolean loginPassword(byte[] b, int p, int n) {
        if (n < 48) {
            return false;
        }
        int cch = (b[p + 46] & 0xFF) | ((b[p + 47] & 0xFF) << 8);
        return cch > 0;
    }

    /** SQL batch / RPC / TM request: ALL_HEADERS (TDS 7.2+), else UTF-16LE text or a procedure reference. */
    static boolean request(int type, byte[] b, int p, int n, int full) {
        if (n < 4) {
            return false;
        }
        long total = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | ((long) (b[p + 3] & 0xFF) << 24);
        if (total >= 4 + 6 && total <= full && n >= 10) {
            long hl = (b[p + 4] & 0xFF) | ((b[p + 5] & 0xFF) << 8) | ((b[p + 6] & 0xFF) << 16) | ((long) (b[p + 7] & 0xFF) << 24);
            int ht = (b[p + 8] & 0xFF) | ((b[p + 9] & 0xFF) << 8);
            if (hl >= 6 && hl <= total - 4 && ht >= 1 && ht <= 3) {
                return true;
            }
        }
        if (type == 0x01) {
            return utf16Text(b, p, n, 8);
        }
        if (type == 0x03) {
            int nameLen = (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8);
            if (nameLen == 0xFFFF) {
                int id = (b[p + 2] & 0xFF) | ((b[p + 3] & 0xFF) << 8);
                return id >= 1 && id <= 15;
            }
            return nameLen >= 1 && nameLen <= 128 && utf16Text(b, p + 2, n - 2, Math.min(nameLen, 8));
        }
        return false;
    }

    /** At least {@code chars} leading UTF-16LE characters (all of them if fewer) are printable ASCII or whitespace. */
    private static boolean utf16Text(byte[] b, int p, int n, int chars) {
        if (n < 2 * Math.min(chars, 2)) {
            return false;
        }
        int k = Math.min(chars, n / 2);
        for (int i = 0; i < k; i++) {
            int lo = b[p + 2 * i] & 0xFF;
            int hi = b[p + 2 * i + 1] & 0xFF;
            if (hi != 0 || !((lo >= 0x20 && lo < 0x7F) || lo == '\t' || lo == '\r' || lo == '\n')) {
                return false;
            }
        }
        return true;
    }
}
