package org.fathom.protocol.smb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.fathom.protocol.FlowContext;

/**
 * The events path of SMB1 ([MS-CIFS] 2.2.3, [MS-SMB] 2.2.3): one {@code smb} event per command of
 * interest, request and response paired by process and multiplex id, AndX chains followed (a
 * SESSION_SETUP_ANDX often carries a TREE_CONNECT_ANDX): NEGOTIATE (the dialect the server chose,
 * by its index into the request's list: {@code NT LM 0.12}), SESSION_SETUP_ANDX (extended
 * security: the NTLM AUTHENTICATE message in the security blob, see {@link Ntlm}; the older forms
 * with the account name and primary domain in clear beside LM/NTLM responses give the same
 * {@code ntlm.user} and {@code ntlm.domain}), TREE_CONNECT_ANDX (the path, {@code \\server\share},
 * and the service of the response as a share type). The status is written when the client asked
 * for 32-bit NT status codes (Flags2 bit 0x4000; DOS error classes are not written). A NEGOTIATE
 * answered in SMB2 (a multi-protocol negotiate) is reported by {@link Smb2Events} only. At most
 * {@link Smb2Events#MAX_PENDING} requests wait for their responses.
 */
final class Smb1Events {
    static final int NEGOTIATE = 0x72;
    static final int SESSION_SETUP_ANDX = 0x73;
    static final int TREE_CONNECT_ANDX = 0x75;
    static final int MAX_DIALECTS = 16;
    static final int MAX_CHAIN = 8;

    /** One command of interest of a request. */
    static final class Command {
        int command;
        Ntlm.Authenticate auth;
        String tree;
        List<String> dialects;
    }

    private final LinkedHashMap<Long, List<Command>> pending = new LinkedHashMap<>();

    /** One SMB1 message: its 32-byte header at {@code b[h]}, {@code n} bytes held. */
    void message(FlowContext ctx, byte[] b, int h, int n) {
        int end = h + n;
        if (n < 35 || (b[h] & 0xFF) != 0xFF || b[h + 1] != 'S' || b[h + 2] != 'M' || b[h + 3] != 'B') {
            return;
        }
        int first = b[h + 4] & 0xFF;
        boolean response = (b[h + 9] & 0x80) != 0;
        int flags2 = Ntlm.le16(b, h + 10);
        boolean ntStatus = (flags2 & 0x4000) != 0;
        boolean unicode = (flags2 & 0x8000) != 0;
        long status = ntStatus ? Ntlm.le32(b, h + 5) : -1;
        long key = (long) Ntlm.le16(b, h + 12) << 32 | (long) Ntlm.le16(b, h + 26) << 16 | Ntlm.le16(b, h + 30);
        List<Command> request = response ? pending.remove(key) : new ArrayList<>(2);
        int command = first;
        int block = h + 32;   // WordCount, then the words, ByteCount and the bytes
        for (int hop = 0; hop < MAX_CHAIN && command != 0xFF && block < end; hop++) {
            int wct = b[block] & 0xFF;
            int words = block + 1;
            int bytesAt = words + 2 * wct + 2;
            if (bytesAt > end) {
                break;
            }
            int byteCount = Ntlm.le16(b, bytesAt - 2);
            int bytesEnd = Math.min(end, bytesAt + byteCount);
            if (command == NEGOTIATE || command == SESSION_SETUP_ANDX || command == TREE_CONNECT_ANDX) {
                if (response) {
                    Command q = take(request, command);
                    emit(ctx, q, status, b, h, words, wct, bytesAt, bytesEnd);
                } else {
                    request.add(request(command, b, h, words, wct, bytesAt, bytesEnd, unicode));
                }
            }
            // AndX commands (SESSION_SETUP_ANDX, TREE_CONNECT_ANDX and others: 0x2D..0x75 with
            // AndXCommand first) name the next command and its offset from the header
            if (!andX(command) || wct < 2) {
                break;
            }
            int next = b[words] & 0xFF;
            int offset = Ntlm.le16(b, words + 2);
            if (next == 0xFF || h + offset <= block || h + offset >= end) {
                break;
            }
            command = next;
            block = h + offset;
        }
        if (response) {
            if (request != null) {
                for (Command q : request) {
                    emit(ctx, q, status, b, h, -1, 0, 0, 0);   // chained requests the response did not answer
                }
            }
            return;
        }
        if (request.isEmpty()) {
            return;
        }
        if (pending.size() >= Smb2Events.MAX_PENDING && !pending.containsKey(key)) {
            var oldest = pending.entrySet().iterator();
            unanswered(ctx, oldest.next().getValue());
            oldest.remove();
        }
        List<Command> old = pending.put(key, request);
        if (old != null) {
            unanswered(ctx, old);
        }
    }

    private static boolean andX(int command) {
        return switch (command) {
            case 0x24, 0x2D, 0x2E, 0x2F, 0x73, 0x74, 0x75, 0xA2 -> true;   // LOCKING, OPEN, READ, WRITE, SESSION_SETUP, LOGOFF, TREE_CONNECT, NT_CREATE
            default -> false;
        };
    }

    /** The request's command {@code command}, taken from its list, or a new one (a response whose request was not seen). */
    private static Command take(List<Command> request, int command) {
        if (request != null) {
            for (int i = 0; i < request.size(); i++) {
                if (request.get(i).command == command) {
                    return request.remove(i);
                }
            }
        }
        Command q = new Command();
        q.command = command;
        return q;
    }

    private static Command request(int command, byte[] b, int h, int words, int wct, int bytesAt, int bytesEnd, boolean unicode) {
        Command q = new Command();
        q.command = command;
        if (command == NEGOTIATE) {
            // 0x02 and a NUL-terminated dialect name, repeated
            q.dialects = new ArrayList<>();
            for (int p = bytesAt; p < bytesEnd && b[p] == 0x02 && q.dialects.size() < MAX_DIALECTS; ) {
                int z = p + 1;
                while (z < bytesEnd && b[z] != 0) {
                    z++;
                }
                q.dialects.add(printable(new String(b, p + 1, Math.min(z - p - 1, 64), StandardCharsets.ISO_8859_1)));
                p = z + 1;
            }
        } else if (command == SESSION_SETUP_ANDX && wct == 12) {
            // extended security: SecurityBlobLength at word byte 14, the blob first in the bytes
            int blob = Ntlm.le16(b, words + 14);
            int blobEnd = Math.min(bytesEnd, bytesAt + blob);
            int sig = Ntlm.find(b, bytesAt, blobEnd - bytesAt);
            if (sig >= 0) {
                q.auth = Ntlm.authenticate(b, sig, blobEnd);
            }
        } else if (command == SESSION_SETUP_ANDX && (wct == 13 || wct == 10)) {
            // LM/NTLM responses in clear, then AccountName and PrimaryDomain (NT LM 0.12: two
            // password lengths at word bytes 14 and 16; LANMAN: one at 14, always OEM)
            int p = bytesAt + Ntlm.le16(b, words + 14) + (wct == 13 ? Ntlm.le16(b, words + 16) : 0);
            boolean u = unicode && wct == 13;
            if (u && ((p - h) & 1) != 0) {
                p++;
            }
            int[] at = {p};
            String user = string(b, at, bytesEnd, u);
            String domain = string(b, at, bytesEnd, u);
            if (user != null && !user.isEmpty()) {
                q.auth = new Ntlm.Authenticate(user, domain == null || domain.isEmpty() ? null : domain, null);
            }
        } else if (command == TREE_CONNECT_ANDX && wct == 4) {
            int p = bytesAt + Ntlm.le16(b, words + 6);
            if (unicode && ((p - h) & 1) != 0) {
                p++;
            }
            q.tree = string(b, new int[] {p}, bytesEnd, unicode);
        }
        return q;
    }

    /** A NUL-terminated string at {@code at[0]} (advanced past it), at most 512 characters, or null. */
    static String string(byte[] b, int[] at, int end, boolean unicode) {
        int p = at[0];
        if (p < 0 || p >= end) {
            return null;
        }
        int step = unicode ? 2 : 1;
        int z = p;
        while (z + step <= end && (b[z] != 0 || (unicode && b[z + 1] != 0))) {
            z += step;
        }
        at[0] = z + step;
        int len = Math.min(z - p, 512 * step);
        return printable(new String(b, p, len, unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1));
    }

    private static String printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    static String commandName(int c) {
        return switch (c) {
            case NEGOTIATE -> "NEGOTIATE";
            case SESSION_SETUP_ANDX -> "SESSION_SETUP_ANDX";
            case TREE_CONNECT_ANDX -> "TREE_CONNECT_ANDX";
            default -> null;
        };
    }

    /** One event: the request {@code q} and, when {@code words >= 0}, its response's command block. */
    private static void emit(FlowContext ctx, Command q, long status, byte[] b, int h, int words, int wct, int bytesAt, int bytesEnd) {
        String dialect = null;
        String shareType = null;
        if (words >= 0 && q.command == NEGOTIATE && wct >= 1) {
            int index = Ntlm.le16(b, words);
            if (q.dialects != null && index < q.dialects.size()) {
                dialect = q.dialects.get(index);
            }
        } else if (words >= 0 && q.command == TREE_CONNECT_ANDX && wct >= 2 && (status <= 0)) {
            String service = string(b, new int[] {bytesAt}, bytesEnd, false);
            if (service != null) {
                shareType = switch (service) {
                    case "A:" -> "disk";
                    case "IPC" -> "pipe";
                    case "LPT1:" -> "print";
                    case "COMM" -> "comm";
                    default -> null;
                };
            }
        }
        SmbEvent.emit(ctx, commandName(q.command), words >= 0 ? status : -1, dialect, q.auth, q.tree, shareType);
    }

    private static void unanswered(FlowContext ctx, List<Command> request) {
        for (Command q : request) {
            emit(ctx, q, -1, null, 0, -1, 0, 0, 0);
        }
    }

    /** The server answered in SMB2: a NEGOTIATE request waiting here is reported by the SMB2 response. */
    void answeredBySmb2() {
        pending.values().removeIf(l -> l.size() == 1 && l.get(0).command == NEGOTIATE);
    }

    void flush(FlowContext ctx) {
        for (List<Command> request : pending.values()) {
            unanswered(ctx, request);
        }
        pending.clear();
    }
}
