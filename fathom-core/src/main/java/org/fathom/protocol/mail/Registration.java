package org.fathom.protocol.mail;

import java.util.List;
import org.fathom.field.MetaField;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProbeClass;
import org.fathom.protocol.ProtocolModule;

/**
 * The mail package declares itself: SMTP, POP3, IMAP: dissectors with their probe placement and
 * the metadata fields they write (see docs/CLASSIFICATION.md, "Adding a protocol").
 */
public final class Registration implements ProtocolModule {
    // mail
    public static final MetaField SMTP_EHLO = MetaField.scrub("smtp.ehlo");
    public static final MetaField SMTP_STARTTLS = MetaField.keep("smtp.starttls");
    public static final MetaField SMTP_MAIL_FROM = MetaField.userUri("smtp.mail_from");
    public static final MetaField SMTP_RCPT_TO = MetaField.userUri("smtp.rcpt_to");
    public static final MetaField IMAP_STARTTLS = MetaField.keep("imap.starttls");
    public static final MetaField POP3_STARTTLS = MetaField.keep("pop3.starttls");
    // events of line protocols: commands and replies are protocol facts; arguments that
    // name people (user names, mailbox addresses, file names) are treated as in flows
    public static final MetaField SMTP_RCPT_COUNT = MetaField.keep("smtp.rcpt_count");
    public static final MetaField SMTP_REPLY_CODE = MetaField.keep("smtp.reply_code");
    public static final MetaField SMTP_MESSAGE_BYTES = MetaField.keep("smtp.message_bytes");
    // user names of the login commands (like ftp.user): never written
    public static final MetaField POP3_USER = MetaField.drop("pop3.user");
    public static final MetaField IMAP_USER = MetaField.drop("imap.user");

    @Override
    public List<Probe> probes() {
        return List.of(
                Probe.of(new SmtpDissector(), ProbeClass.LOOSE),
                Probe.of(new Pop3Dissector(), ProbeClass.LOOSE),
                Probe.of(new ImapDissector(), ProbeClass.LOOSE));
    }
}
