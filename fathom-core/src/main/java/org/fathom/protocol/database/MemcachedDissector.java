package org.fathom.protocol.database;

import static org.fathom.wire.Bytes.indexOf;
import static org.fathom.wire.Bytes.isPrintable;
import static org.fathom.wire.Bytes.u16;
import static org.fathom.wire.Bytes.u32;
import static org.fathom.wire.Bytes.u8;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.PrefixDissector;

/**
 * Memcached on TCP/UDP 11211, in its text protocol (a known command whose arguments have the
 * documented shape, or a known reply line) or its binary protocol (magic 0x80/0x81, a defined
 * opcode, data type 0, a body length covering extras and key). Over UDP each datagram starts with
 * the 8-byte frame header (request id, sequence number below the datagram count, reserved 0).
 * The text commands are short common words, so only flows on port 11211 are judged. Contributes
 * {@code memcached.command}.
 */
public final class MemcachedDissector extends PrefixDissector {
    static final int PORT = 11211;
    private static final int[] PORTS = {PORT};
    private static final Descriptor DESCRIPTOR = Descriptor.both("Memcached", "Network", PORTS, PORTS).withProbeDepth(4);

    public MemcachedDissector() {
        super(DESCRIPTOR, 512, PORT);
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
        if (ctx.l4() == 17) {
            if (!onGatePort(ctx)) {
                return NO;
            }
            if (len < 9 || u16(buf, off + 4) == 0 || u16(buf, off + 2) >= u16(buf, off + 4) || u16(buf, off + 6) != 0) {
                return NO;
            }
            int r = judge(ctx, fromClient, false, buf, off + 8, len - 8);
            return r == NEED_MORE ? (u16(buf, off + 4) > 1 ? NEED_MORE : NO) : r;
        }
        return super.inspect(ctx, fromClient, buf, off, len);
    }

    @Override
    public int judge(FlowContext ctx, boolean fromClient, boolean matched, byte[] b, int off, int len) {
        int m = u8(b, off);
        if (m == 0x80 || m == 0x81) {
            return binary(ctx, b, off, len);
        }
        int eol = indexOf(b, off, len, 0, 300, '\n');
        if (eol < 0) {
            for (int i = 0; i < len; i++) {
                int c = b[off + i] & 0xFF;
                if (c != '\r' && !isPrintable(c)) {
                    return NO;
                }
            }
            return len >= 300 ? NO : NEED_MORE;
        }
        int end = eol > 0 && b[off + eol - 1] == '\r' ? eol - 1 : eol;
        String cmd = textLine(b, off, end);
        if (cmd == null) {
            return NO;
        }
        ctx.put(Registration.MEMCACHED_COMMAND.key(), cmd);
        return DONE;
    }

    private static int binary(FlowContext ctx, byte[] b, int off, int len) {
        if (len < 24) {
            return NEED_MORE;
        }
        int op = u8(b, off + 1);
        int keyLen = u16(b, off + 2);
        int extras = u8(b, off + 4);
        long body = u32(b, off + 8);
        if (op > 0x48 || b[off + 5] != 0 || body < keyLen + extras || body > 1 << 26) {
            return NO;
        }
        if (u8(b, off) == 0x81 && u16(b, off + 6) > 0x0086) {
            return NO; // response status
        }
        ctx.put(Registration.MEMCACHED_COMMAND.key(), "binary_" + op);
        return DONE;
    }

    /** The command (or reply) word of a valid text line {@code [0, end)}, or null. */
    static String textLine(byte[] b, int off, int end) {
        int[] tok = new int[16];
        int n = 0;
        int i = 0;
        while (i < end && n < 16) {
            while (i < end && b[off + i] == ' ') {
                i++;
            }
            if (i >= end) {
                break;
            }
            int s = i;
            while (i < end && b[off + i] != ' ') {
                int c = b[off + i] & 0xFF;
                if (c < 0x21 || c == 0x7F) {
                    return null;
                }
                i++;
            }
            tok[n++] = s;
            tok[n++] = i;
        }
        if (n == 0 || i < end) {
            return null;
        }
        int args = n / 2 - 1;
        String w = new String(b, off + tok[0], tok[1] - tok[0], java.nio.charset.StandardCharsets.US_ASCII);
        return switch (w) {
            case "get", "gets" -> args >= 1 && keysOk(b, off, tok, 1, args) ? w : null;
            case "gat", "gats" -> args >= 2 && num(b, off, tok, 1) && keysOk(b, off, tok, 2, args - 1) ? w : null;
            case "set", "add", "replace", "append", "prepend" ->
                    (args == 4 || (args == 5 && word(b, off, tok, 5, "noreply"))) && key(b, off, tok, 1)
                            && num(b, off, tok, 2) && num(b, off, tok, 3) && num(b, off, tok, 4) ? w : null;
            case "cas" -> (args == 5 || (args == 6 && word(b, off, tok, 6, "noreply"))) && key(b, off, tok, 1)
                    && num(b, off, tok, 2) && num(b, off, tok, 3) && num(b, off, tok, 4) && num(b, off, tok, 5) ? w : null;
            case "delete" -> (args == 1 || (args == 2 && word(b, off, tok, 2, "noreply"))) && key(b, off, tok, 1) ? w : null;
            case "incr", "decr", "touch" -> (args == 2 || (args == 3 && word(b, off, tok, 3, "noreply"))) && key(b, off, tok, 1)
                    && num(b, off, tok, 2) ? w : null;
            case "stats" -> args <= 2 ? w : null;
            case "version", "quit", "END", "STORED", "NOT_STORED", "EXISTS", "NOT_FOUND", "DELETED", "TOUCHED", "ERROR" ->
                    args == 0 ? w : null;
            case "flush_all" -> args <= 2 ? w : null;
            case "verbosity" -> args >= 1 && args <= 2 && num(b, off, tok, 1) ? w : null;
            case "VALUE" -> (args == 3 || args == 4) && key(b, off, tok, 1) && num(b, off, tok, 2) && num(b, off, tok, 3) ? w : null;
            case "STAT" -> args >= 2 ? w : null;
            case "VERSION" -> args == 1 ? w : null;
            case "mg", "md", "ma" -> args >= 1 && key(b, off, tok, 1) ? w : null;
            case "ms" -> args >= 2 && key(b, off, tok, 1) && num(b, off, tok, 2) ? w : null;
            case "mn" -> args == 0 ? w : null;
            default -> null;
        };
    }

    private static boolean keysOk(byte[] b, int off, int[] tok, int from, int count) {
        for (int k = from; k < from + count; k++) {
            if (!key(b, off, tok, k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean key(byte[] b, int off, int[] tok, int k) {
        return tok[2 * k + 1] - tok[2 * k] <= 250;
    }

    private static boolean num(byte[] b, int off, int[] tok, int k) {
        int s = tok[2 * k];
        int e = tok[2 * k + 1];
        if (e - s > 20) {
            return false;
        }
        if (b[off + s] == '-') {
            s++;
        }
        return org.fathom.wire.Bytes.allDigits(b, off, s, e);
    }

    private static boolean word(byte[] b, int off, int[] tok, int k, String w) {
        return tok[2 * k + 1] - tok[2 * k] == w.length()
                && org.fathom.wire.Bytes.regionEquals(b, off, tok[2 * k + 1], tok[2 * k], w);
    }
}
