package org.fathom.protocol.ftp;

import org.fathom.protocol.Descriptor;
import org.fathom.protocol.FlowContext;
import org.fathom.protocol.PendingTransactions;
import org.fathom.protocol.Risk;
import org.fathom.wire.text.Ascii;
import org.fathom.wire.text.StartTls;
import org.fathom.wire.text.TextDissector;
import org.fathom.wire.text.TextSession;

/**
 * The FTP control connection (RFC 959, 2228, 2428). The server greets with a 220 reply; the client
 * sends FTP commands (USER, AUTH, FEAT, SYST, ...). A flow is recognised from a greeting followed by
 * an FTP command, or (greeting missed) an FTP command answered by a reply. The data connections
 * the control connection announces are expected as {@code FTP_DATA}: passive mode replies 227
 * ({@code h1,h2,h3,h4,p1,p2}) and 229 ({@code (|||port|)}, on the server's address), and the
 * client's PORT and EPRT commands. USER's name is kept as {@code ftp.user}; PASS is
 * {@link Risk#CLEARTEXT_CREDENTIALS} (the password is never read); AUTH TLS accepted (234) sets
 * {@code ftp.auth_tls}, names the flow {@code FTPS} (as nDPI does) and ends the inspection. The greeting is kept as {@code ftp.server_banner}.
 */
public final class FtpDissector extends TextDissector {
    static final int MAX_LINE = 1024;
    static final int TCP = 6;
    private static final Descriptor DESCRIPTOR = Descriptor.tcp("FTP_CONTROL", "Download", 21).withProbeDepth(4);
    private static final StartTls AUTH_TLS = new StartTls(Registration.FTP_AUTH_TLS.key(), "FTPS", "Download");
    static final String[] COMMANDS = {"USER", "PASS", "ACCT", "AUTH", "FEAT", "SYST", "OPTS", "PWD", "XPWD", "CWD",
        "CDUP", "TYPE", "PASV", "EPSV", "PORT", "EPRT", "LIST", "NLST", "MLSD", "MLST", "RETR", "STOR", "STOU", "APPE",
        "QUIT", "NOOP", "SIZE", "MDTM", "REST", "HOST", "CLNT", "PBSZ", "PROT", "STAT", "HELP", "SITE", "MKD", "RMD",
        "DELE", "RNFR", "RNTO", "ABOR", "ALLO", "STRU", "MODE", "LANG", "CCC"};

    static final class Session extends TextSession implements PendingTransactions {
        // events path: the command waiting for its final reply
        private String pendingCommand;
        private String pendingArgument;
        private long pendingNanos;

        private void commandEvent(FlowContext ctx, String c, byte[] b, int off, int len) {
            if (pendingCommand != null) {
                emit(ctx, -1, 0);   // a command the server never answered before the next one
            }
            pendingCommand = c;
            // the argument is a file or user name: the inventory drops it outside identified mode;
            // PASS's argument is never read
            pendingArgument = "PASS".equals(c) ? null : argument(b, off, len, c.length(), 128);
            pendingNanos = ctx.timestampNanos();
        }

        private void emit(FlowContext ctx, int code, long nanos) {
            java.util.LinkedHashMap<String, Object> e = new java.util.LinkedHashMap<>();
            e.put(Registration.FTP_COMMAND.key(), pendingCommand);
            if (pendingArgument != null && !pendingArgument.isEmpty()) {
                e.put("USER".equals(pendingCommand) ? Registration.FTP_USER.key() : Registration.FTP_ARGUMENT.key(), pendingArgument);
            }
            if (code >= 0) {
                e.put(Registration.FTP_REPLY_CODE.key(), (long) code);
                e.put(Registration.FTP_REPLY_MS.key(), Math.round((nanos - pendingNanos) / 1000.0) / 1000.0);
            }
            ctx.transaction("ftp", e);
            pendingCommand = null;
            pendingArgument = null;
        }

        @Override
        public void flush(FlowContext ctx) {
            if (pendingCommand != null) {
                emit(ctx, -1, 0);
            }
        }

        private void banner(FlowContext ctx, String text) {
            if (!noted(ctx, Registration.FTP_SERVER_BANNER.key())) {
                note(ctx, Registration.FTP_SERVER_BANNER.key(), text);
            }
        }

        @Override
        protected int line(FlowContext ctx, boolean fromClient, byte[] b, int off, int len) {
            return fromClient ? clientLine(ctx, b, off, len) : serverLine(ctx, b, off, len);
        }

        private int clientLine(FlowContext ctx, byte[] b, int off, int len) {
            String c = command(b, off, len);
            if (c == null) {
                return verdict == MATCH ? MATCH : NO;
            }
            command = true;
            if (ctx.transactions()) {
                commandEvent(ctx, c, b, off, len);
            }
            switch (c) {
                case "USER" -> {
                    String u = argument(b, off, len, 4, 64);
                    if (!u.isEmpty()) {
                        note(ctx, Registration.FTP_USER.key(), u);
                    }
                }
                case "PASS" -> risk(ctx, Risk.CLEARTEXT_CREDENTIALS);
                case "AUTH" -> AUTH_TLS.request(this);
                case "PORT" -> {
                    long[] a = FtpAddress.commaForm(b, off + 4, len - 4);
                    if (a != null) {
                        ctx.expect(TCP, a[0], a[1], (int) a[2], "FTP_DATA", "Download");
                    }
                }
                case "EPRT" -> {
                    int p = off + 4;
                    while (p < off + len && b[p] == ' ') {
                        p++;
                    }
                    long[] a = FtpAddress.eprt(b, p, off + len - p);
                    if (a != null) {
                        ctx.expect(TCP, a[0], a[1], (int) a[2], "FTP_DATA", "Download");
                    }
                }
                default -> { }
            }
            return greeted || verdict == MATCH ? MATCH : NEED_MORE;
        }

        private int serverLine(FlowContext ctx, byte[] b, int off, int len) {
            int code = Ascii.replyCode(b, off, len);
            if (!greeted && !command) {
                if (code != 220 && code != 120) {
                    return NO;
                }
                greeted = true;
                if (len > 4) {
                    banner(ctx, Ascii.string(b, off + 4, len - 4, 128));
                }
                return NEED_MORE;
            }
            if (code < 0) {
                // continuation lines of multi-line replies start with anything
                return verdict == MATCH || greeted ? verdict : NO;
            }
            greeted = true;
            if (pendingCommand != null && code >= 200 && len > 3 && b[off + 3] == ' ') {
                emit(ctx, code, ctx.timestampNanos());   // the final reply (1xx are preliminary)
            }
            if (code == 227) {
                long[] a = FtpAddress.commaForm(b, off + 4, len - 4);
                if (a != null) {
                    ctx.expect(TCP, a[0], a[1], (int) a[2], "FTP_DATA", "Download");
                    if (a[0] != ctx.serverHi() || a[1] != ctx.serverLo()) {
                        // behind NAT the announced address differs: the data flow goes to the real one
                        ctx.expect(TCP, ctx.serverHi(), ctx.serverLo(), (int) a[2], "FTP_DATA", "Download");
                    }
                }
            } else if (code == 229) {
                int port = FtpAddress.epsvPort(b, off, len);
                if (port > 0) {
                    ctx.expect(TCP, ctx.serverHi(), ctx.serverLo(), port, "FTP_DATA", "Download");
                }
            }
            if (AUTH_TLS.answered(this, ctx, code == 234, len > 3 && b[off + 3] == ' ')) {
                return DONE;
            }
            return command ? MATCH : NEED_MORE;
        }
    }

    public FtpDissector() {
        super(DESCRIPTOR, Session::new);
    }

    @Override
    protected boolean opens(boolean fromClient, byte[] b, int off, int len) {
        return fromClient ? Ascii.commandPrefix(b, off, len, COMMANDS) : len == 0 || Ascii.isDigit(b[off]);
    }

    static String command(byte[] b, int off, int len) {
        int w = 0;
        while (w < len && w <= 4 && Ascii.isAlpha(b[off + w])) {
            w++;
        }
        if (w < 3 || w > 4 || (w < len && b[off + w] != ' ')) {
            return null;
        }
        for (String k : COMMANDS) {
            if (k.length() == w && Ascii.startsWithIgnoreCase(b, off, len, k)) {
                return k;
            }
        }
        return null;
    }

    private static String argument(byte[] b, int off, int len, int wordLen, int max) {
        int p = off + wordLen;
        int end = off + len;
        while (p < end && b[p] == ' ') {
            p++;
        }
        if (p >= end || !Ascii.allText(b, p, end - p)) {
            return "";
        }
        return Ascii.string(b, p, end - p, max);
    }

    /** Names given besides the descriptor's (for {@code fathom protocols}). */
    @Override
    public java.util.List<org.fathom.protocol.Service> alsoReports() {
        return java.util.List.of(new org.fathom.protocol.Service("FTP_DATA", "Download"), new org.fathom.protocol.Service("FTPS", "Download"));
    }
}
