package org.fathom.wire.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.ftp.FtpDissector;
import org.fathom.protocol.mail.ImapDissector;
import org.fathom.protocol.mail.Pop3Dissector;
import org.fathom.protocol.mail.SmtpDissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** The switch to TLS, the same for every line protocol that has one. */
class StartTlsTest {
    /** A session up to the client's request, the server's yes and no, and a later exchange. */
    record Case(String name, Supplier<Dissector> dissector, int port, List<Msg> opening, Msg yes, Msg no, List<Msg> later,
            String key, String tlsName) {
    }

    static final List<Case> CASES = List.of(
            new Case("SMTP", SmtpDissector::new, 587,
                    List.of(Msg.s("220 mx ESMTP\r\n"), Msg.c("EHLO me\r\n"), Msg.s("250 STARTTLS\r\n"), Msg.c("STARTTLS\r\n")),
                    Msg.s("220 2.0.0 Ready to start TLS\r\n"), Msg.s("454 4.7.0 TLS not available\r\n"),
                    List.of(Msg.c("NOOP\r\n"), Msg.s("220 2.0.0 OK\r\n")), "smtp.starttls", "SMTPS"),
            new Case("POP3", Pop3Dissector::new, 110,
                    List.of(Msg.s("+OK ready\r\n"), Msg.c("STLS\r\n")),
                    Msg.s("+OK Begin TLS\r\n"), Msg.s("-ERR not now\r\n"),
                    List.of(Msg.c("CAPA\r\n"), Msg.s("+OK\r\n")), "pop3.starttls", "POPS"),
            new Case("IMAP", ImapDissector::new, 143,
                    List.of(Msg.s("* OK ready\r\n"), Msg.c("x1 STARTTLS\r\n")),
                    Msg.s("x1 OK Begin TLS\r\n"), Msg.s("x1 NO not now\r\n"),
                    List.of(Msg.c("x2 NOOP\r\n"), Msg.s("x2 OK done\r\n")), "imap.starttls", "IMAPS"),
            new Case("FTP", FtpDissector::new, 21,
                    List.of(Msg.s("220 ready\r\n"), Msg.c("AUTH TLS\r\n")),
                    Msg.s("234 Proceed with negotiation.\r\n"), Msg.s("504 Not supported\r\n"),
                    List.of(Msg.c("PWD\r\n"), Msg.s("234 x\r\n")), "ftp.auth_tls", "FTPS"));

    @Test
    void acceptedSwitchNamesTheFlowAfterItsTlsFormAndEndsTheInspection() {
        for (Case c : CASES) {
            List<Msg> msgs = new ArrayList<>(c.opening());
            msgs.add(c.yes());
            msgs.add(Msg.c("\u0016\u0003\u0001\u0000\u00a5")); // a TLS record: never read
            TestFlow f = Splits.check(c.dissector(), d -> TestFlow.tcp(d, c.port()), msgs);
            assertThat(f.verdict).as(c.name()).isEqualTo(Dissector.DONE);
            assertThat(f.protocol).as(c.name()).isEqualTo(c.tlsName());
            assertThat(f.meta).as(c.name()).containsEntry(c.key(), true);
        }
    }

    @Test
    void refusedSwitchLeavesTheSessionInClear() {
        for (Case c : CASES) {
            List<Msg> msgs = new ArrayList<>(c.opening());
            msgs.add(c.no());
            msgs.addAll(c.later()); // a later positive-looking answer is not to the request
            TestFlow f = Splits.whole(c.dissector(), d -> TestFlow.tcp(d, c.port()), msgs);
            assertThat(f.matched).as(c.name()).isTrue();
            assertThat(f.verdict).as(c.name()).isEqualTo(Dissector.MATCH);
            assertThat(f.protocol).as(c.name()).isNull();
            assertThat(f.meta).as(c.name()).doesNotContainKey(c.key());
        }
    }

    @Test
    void noSwitchWithoutARequest() {
        for (Case c : CASES) {
            List<Msg> msgs = new ArrayList<>(c.opening().subList(0, c.opening().size() - 1));
            msgs.addAll(c.later());
            msgs.add(c.yes());
            TestFlow f = Splits.whole(c.dissector(), d -> TestFlow.tcp(d, c.port()), msgs);
            assertThat(f.protocol).as(c.name()).isNull();
            assertThat(f.meta).as(c.name()).doesNotContainKey(c.key());
        }
    }
}
