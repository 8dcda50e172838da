package org.fathom.protocol.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.apptest.Golden;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

class MailDissectorsTest {
    @Test
    void smtpSessionAtEverySplit() {
        TestFlow f = Splits.check(SmtpDissector::new, d -> TestFlow.tcp(d, 25), List.of(
                Msg.s("220-mx.example.org ESMTP\r\n220 ready\r\n"),
                Msg.c("EHLO client.example.net\r\n"),
                Msg.s("250-mx.example.org\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n"),
                Msg.c("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n"),
                Msg.s("235 2.7.0 Authentication successful\r\n"),
                Msg.c("MAIL FROM:<alice@example.net>\r\n"),
                Msg.s("250 OK\r\n"),
                Msg.c("DATA\r\n"),
                Msg.s("354 go ahead\r\n"),
                Msg.c("Subject: x\r\n\r\nbody\r\n.\r\n"),
                Msg.s("250 queued\r\n")));
        assertThat(f.matched).isTrue();
        assertThat(f.meta).containsEntry("smtp.ehlo", "client.example.net");
        assertThat(f.risks).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(f.meta.toString()).doesNotContain("alice");
    }

    @Test
    void smtpGreetingFollowedByFtpCommandIsNotSmtp() {
        TestFlow f = TestFlow.tcp(new SmtpDissector(), 25);
        f.server(Msg.s("220 FTP ready\r\n").bytes()).client(Msg.c("USER bob\r\n").bytes());
        assertThat(f.verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void pop3SessionAtEverySplit() {
        TestFlow f = Splits.check(Pop3Dissector::new, d -> TestFlow.tcp(d, 110), List.of(
                Msg.s("+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n"),
                Msg.c("USER mrose\r\n"), Msg.s("+OK\r\n"), Msg.c("PASS tanstaaf\r\n"), Msg.s("+OK maildrop has 1 message\r\n"),
                Msg.c("RETR 1\r\n"), Msg.s("+OK 120 octets\r\nanything at all\r\n.\r\n"), Msg.c("QUIT\r\n")));
        assertThat(f.matched).isTrue();
        assertThat(f.meta).containsEntry("pop3.user", "mrose");
        assertThat(f.risks).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(f.meta.toString()).doesNotContain("tanstaaf");
    }

    @Test
    void pop3GreetingThenNonsenseLeavesNothing() {
        TestFlow f = TestFlow.tcp(new Pop3Dissector(), 110);
        f.client(Msg.c("USER x\r\n").bytes()).server(Msg.s("HTTP/1.1 400 Bad\r\n").bytes());
        assertThat(f.verdict).isEqualTo(Dissector.NO);
        assertThat(f.meta).isEmpty();
    }

    @Test
    void imapSessionAtEverySplit() {
        TestFlow f = Splits.check(ImapDissector::new, d -> TestFlow.tcp(d, 143), List.of(
                Msg.s("* OK IMAP4rev1 Service Ready\r\n"),
                Msg.c("a001 CAPABILITY\r\n"),
                Msg.s("* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\na001 OK CAPABILITY completed\r\n"),
                Msg.c("a002 LOGIN \"fred\" \"foo bar\"\r\n"),
                Msg.s("a002 OK LOGIN completed\r\n"),
                Msg.c("a003 SELECT INBOX\r\n"),
                Msg.s("* 18 EXISTS\r\na003 OK [READ-WRITE] SELECT completed\r\n")));
        assertThat(f.matched).isTrue();
        assertThat(f.meta).containsEntry("imap.user", "fred");
        assertThat(f.risks).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(f.meta.toString()).doesNotContain("foo bar");
    }

    @Test
    void goldenSmtplibSessions() throws Exception {
        List<FlowRecord> flows = Golden.flows("smtp/smtp.pcap");
        assertThat(flows).hasSize(2);
        assertThat(flows.get(0).protocol()).isEqualTo("SMTP");
        assertThat(flows.get(0).metadata()).containsEntry("smtp.ehlo", "client.fathom.test");
        assertThat(flows.get(0).risks()).contains("clear_text_credentials");
        assertThat(flows.get(1).protocol()).isEqualTo("SMTPS");
        assertThat(flows.get(1).metadata()).containsEntry("smtp.starttls", true).containsEntry("smtp.ehlo", "client2.fathom.test");
    }

    @Test
    void goldenPoplibAndImaplib() throws Exception {
        FlowRecord pop = Golden.byServerPort(Golden.flows("pop3/pop3.pcap"), 110);
        assertThat(pop.protocol()).isEqualTo("POP3");
        assertThat(pop.metadata()).containsEntry("pop3.user", "alice");
        assertThat(pop.risks()).contains("clear_text_credentials");
        FlowRecord imap = Golden.byServerPort(Golden.flows("imap/imap.pcap"), 143);
        assertThat(imap.protocol()).isEqualTo("IMAPS");
        assertThat(imap.metadata()).containsEntry("imap.starttls", true);
        assertThat(imap.risks()).doesNotContain("clear_text_credentials");
    }
}
