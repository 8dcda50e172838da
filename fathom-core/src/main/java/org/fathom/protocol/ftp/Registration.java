package org.fathom.protocol.ftp;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The ftp package declares itself: FTP_CONTROL: dissectors with their probe placement and the
 * metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // remote access, mail, authentication, VPN, databases: protocol facts
    public static final MetaField FTP_AUTH_TLS = MetaField.keep("ftp.auth_tls");
    // events of line protocols: commands and replies are protocol facts; arguments that
    // name people (user names, mailbox addresses, file names) are treated as in flows
    public static final MetaField FTP_COMMAND = MetaField.keep("ftp.command");
    public static final MetaField FTP_REPLY_CODE = MetaField.keep("ftp.reply_code");
    public static final MetaField FTP_REPLY_MS = MetaField.keep("ftp.reply_ms");
    public static final MetaField FTP_USER = MetaField.drop("ftp.user");
    public static final MetaField FTP_ARGUMENT = MetaField.drop("ftp.argument");
    // written since the FTP dissector existed but never declared, so the guard dropped it: kept out
    // (a greeting may name the host and its software) until docs/PRIVACY.md decides otherwise
    public static final MetaField FTP_SERVER_BANNER = MetaField.drop("ftp.server_banner");

    @Override
    public List<Probe> probes() {
        return List.of(Probe.of(new FtpDissector(), ProbeClass.LOOSE));
    }
}
