package org.fathom.protocol.redis;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.FlowContext;
import org.fathom.wire.text.Ascii;

/**
 * Redis' RESP protocol (redis.io "Redis serialization protocol specification"). The client sends
 * each command as an array of bulk strings: {@code *N CRLF $L CRLF name CRLF ...} with N 1..1M,
 * L the exact length of a command name of letters. The server replies with a RESP value (simple
 * string {@code +}, error {@code -}, integer {@code :}, bulk {@code $}, array {@code *} or a
 * RESP3 type). A command of that shape is enough; the reply ends the inspection. Contributes
 * {@code redis.command} (the first command's name).
 */
public final class RedisDissector implements Dissector {
    static final int CAP = 128;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("RESP", "Database", 6379).withProbeDepth(3);

    static final class State {
        final byte[] buf = new byte[CAP];
        int len;
        boolean matched;
    }

    @Override
    public Descriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public int inspect(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
        State st = (State) ctx.state();
        if (!fromClient) {
            if (st == null || !st.matched) {
                return NO; // the client speaks first
            }
            return len > 0 && "+-:$*_#,(=!%~>|".indexOf(b[off]) >= 0 ? DONE : NO;
        }
        if (st == null) {
            if (len > 0 && b[off] != '*') {
                return NO;
            }
            st = new State();
            ctx.setState(st);
        }
        if (st.matched) {
            return MATCH;
        }
        int n = Math.min(len, CAP - st.len);
        System.arraycopy(b, off, st.buf, st.len, n);
        st.len += n;
        int r = command(ctx, st.buf, st.len);
        if (r > 0) {
            st.matched = true;
            return MATCH;
        }
        return r == 0 && st.len < CAP ? NEED_MORE : NO;
    }

    /** 1 when {@code m[0..n)} starts with a complete command array head, 0 if it may still, -1 if not. */
    static int command(FlowContext ctx, byte[] m, int n) {
        int p = 0;
        if (n < 1) {
            return 0;
        }
        if (m[0] != '*') {
            return -1;
        }
        long[] v = new long[1];
        p = number(m, 1, n, v, 7);
        if (p <= 0) {
            return p;
        }
        if (v[0] < 1) {
            return -1;
        }
        if (p >= n) {
            return 0;
        }
        if (m[p] != '$') {
            return -1;
        }
        p = number(m, p + 1, n, v, 2);
        if (p <= 0) {
            return p;
        }
        int l = (int) v[0];
        if (l < 1 || l > 32) {
            return -1;
        }
        for (int i = p; i < Math.min(n, p + l); i++) {
            if (!Ascii.isAlpha(m[i]) && m[i] != '_' && m[i] != '.' && m[i] != '-' && !Ascii.isDigit(m[i])) {
                return -1;
            }
        }
        if (n < p + l + 2) {
            return 0;
        }
        if (!Ascii.isAlpha(m[p]) || m[p + l] != '\r' || m[p + l + 1] != '\n') {
            return -1;
        }
        ctx.put(Registration.REDIS_COMMAND.key(), Ascii.string(m, p, l, 32).toUpperCase(java.util.Locale.ROOT));
        return 1;
    }

    /** Digits then CRLF from {@code p}: the offset after the CRLF, 0 if incomplete, -1 if malformed. */
    private static int number(byte[] m, int p, int n, long[] out, int maxDigits) {
        int s = p;
        long v = 0;
        while (p < n && Ascii.isDigit(m[p])) {
            if (p - s >= maxDigits) {
                return -1;
            }
            v = v * 10 + (m[p] - '0');
            p++;
        }
        if (p >= n) {
            return 0;
        }
        if (p == s || m[p] != '\r') {
            return -1;
        }
        if (p + 1 >= n) {
            return 0;
        }
        if (m[p + 1] != '\n') {
            return -1;
        }
        out[0] = v;
        return p + 2;
    }
}
