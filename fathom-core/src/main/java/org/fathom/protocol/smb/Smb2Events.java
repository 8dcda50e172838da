package org.fathom.protocol.smb;

import java.nio.charset.StandardCharsets;
import org.fathom.protocol.FlowContext;

/**
 * The events path of SMB2/3 ([MS-SMB2] 2.2): one {@code smb} event per command of interest,
 * request and response paired by message id (compounded messages followed through NextCommand):
 * NEGOTIATE (the dialect the server chose), SESSION_SETUP (each leg; the NTLM AUTHENTICATE
 * message's user, domain and workstation when the security buffer carries one, see {@link Ntlm}),
 * TREE_CONNECT (the share path, {@code \\server\share}, and its type). Other commands are passed
 * over. At most {@link #MAX_PENDING} requests wait for their responses (the oldest goes out
 * unanswered when one more comes); those never answered come out when the flow ends.
 */
final class Smb2Events {
    static final int MAX_PENDING = 64;
    static final int NEGOTIATE = 0;
    static final int SESSION_SETUP = 1;
    static final int TREE_CONNECT = 3;
    static final long STATUS_PENDING = 0x103;

    /** A request of interest waiting for its response. */
    static final class Pending {
        int command;
        Ntlm.Authenticate auth;
        String tree;
    }

    private final java.util.LinkedHashMap<Long, Pending> pending = new java.util.LinkedHashMap<>();

    /** One SMB2 message (its 64-byte header at {@code b[p]}, {@code n} bytes held), compounds included. */
    void message(FlowContext ctx, boolean fromClient, byte[] b, int p, int n) {
        int end = p + n;
        for (int chain = 0; chain < 16 && end - p >= 64; chain++) {
            if ((b[p] & 0xFF) != 0xFE || b[p + 1] != 'S' || b[p + 2] != 'M' || b[p + 3] != 'B') {
                return;
            }
            int next = (int) Ntlm.le32(b, p + 20);
            int msgEnd = next > 0 && next <= end - p ? p + next : end;
            one(ctx, b, p, msgEnd);
            if (next < 64 || next > end - p) {
                return;
            }
            p += next;
        }
    }

    private void one(FlowContext ctx, byte[] b, int h, int end) {
        long status = Ntlm.le32(b, h + 8);
        int command = Ntlm.le16(b, h + 12);
        boolean response = (Ntlm.le32(b, h + 16) & 1) != 0;
        long messageId = Ntlm.le32(b, h + 24) | Ntlm.le32(b, h + 28) << 32;
        if (command != NEGOTIATE && command != SESSION_SETUP && command != TREE_CONNECT) {
            return;
        }
        int body = h + 64;
        if (!response) {
            Pending q = new Pending();
            q.command = command;
            if (command == SESSION_SETUP && end - body >= 16) {
                int off = Ntlm.le16(b, body + 12);
                int len = Ntlm.le16(b, body + 14);
                if (off >= 64 && len > 0 && h + off + len <= end) {
                    int sig = Ntlm.find(b, h + off, len);
                    if (sig >= 0) {
                        q.auth = Ntlm.authenticate(b, sig, h + off + len);
                    }
                }
            } else if (command == TREE_CONNECT && end - body >= 8) {
                int off = Ntlm.le16(b, body + 4);
                int len = Math.min(Ntlm.le16(b, body + 6), 2 * 512);
                if (off >= 64 && len > 0 && h + off + len <= end) {
                    q.tree = new String(b, h + off, len & ~1, StandardCharsets.UTF_16LE);
                }
            }
            if (pending.size() >= MAX_PENDING && !pending.containsKey(messageId)) {
                var oldest = pending.entrySet().iterator();
                emit(ctx, oldest.next().getValue(), -1, null, -1);
                oldest.remove();
            }
            Pending old = pending.put(messageId, q);
            if (old != null) {
                emit(ctx, old, -1, null, -1);
            }
            return;
        }
        if (status == STATUS_PENDING) {
            return;   // an interim response: the final one follows
        }
        Pending q = pending.remove(messageId);
        if (q == null) {
            q = new Pending();   // a response whose request was not seen
            q.command = command;
        }
        String dialect = null;
        int shareType = -1;
        if (command == NEGOTIATE && end - body >= 6 && status == 0) {
            dialect = dialect(Ntlm.le16(b, body + 4));
        } else if (command == TREE_CONNECT && end - body >= 3 && status == 0) {
            shareType = b[body + 2] & 0xFF;
        }
        emit(ctx, q, status, dialect, shareType);
    }

    /** {@code 0x0311} → {@code 3.1.1}, {@code 0x0210} → {@code 2.1}, {@code 0x02FF} → {@code 2.x}. */
    static String dialect(int d) {
        if (d == 0x02FF) {
            return "2.x";
        }
        int major = d >> 8;
        int minor = (d >> 4) & 0xF;
        int rev = d & 0xF;
        return rev == 0 ? major + "." + minor : major + "." + minor + "." + rev;
    }

    static String commandName(int c) {
        return switch (c) {
            case NEGOTIATE -> "NEGOTIATE";
            case SESSION_SETUP -> "SESSION_SETUP";
            case TREE_CONNECT -> "TREE_CONNECT";
            default -> null;
        };
    }

    private static void emit(FlowContext ctx, Pending q, long status, String dialect, int shareType) {
        SmbEvent.emit(ctx, commandName(q.command), status, dialect, q.auth, q.tree, shareType < 0 ? null : switch (shareType) {
            case 1 -> "disk";
            case 2 -> "pipe";
            case 3 -> "print";
            default -> String.valueOf(shareType);
        });
    }

    void flush(FlowContext ctx) {
        for (Pending q : pending.values()) {
            emit(ctx, q, -1, null, -1);
        }
        pending.clear();
    }
}
