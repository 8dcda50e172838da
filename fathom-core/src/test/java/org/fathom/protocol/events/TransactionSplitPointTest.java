package org.fathom.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.ftp.FtpDissector;
import org.fathom.protocol.http.HttpDissector;
import org.fathom.protocol.mail.SmtpDissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/**
 * The per-transaction events of the stream parsers changed for {@code --events} (HTTP's response
 * side, FTP's command/reply pairs, SMTP's mail transactions) do not depend on where TCP cut the
 * bytes: each message of a conversation is fed split at every point (first k bytes, then the
 * rest), and the events must equal those of the unsplit feed.
 */
class TransactionSplitPointTest {
    /** One message of a conversation: who sent it, and its bytes. */
    record Msg(boolean fromClient, byte[] bytes) {
        static Msg c(String s) {
            return new Msg(true, s.getBytes(StandardCharsets.ISO_8859_1));
        }

        static Msg s(String s) {
            return new Msg(false, s.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    static List<String> run(Supplier<Dissector> d, int port, List<Msg> conversation, int k) {
        Dissector dissector = d.get();
        TestFlow f = TestFlow.tcp(dissector, port);
        f.transactions = true;
        for (Msg m : conversation) {
            int cut = Math.min(k, m.bytes().length);
            f.feed(m.fromClient(), m.bytes(), 0, cut);
            if (cut < m.bytes().length) {
                f.feed(m.fromClient(), java.util.Arrays.copyOfRange(m.bytes(), cut, m.bytes().length));
            }
        }
        f.end();
        return new ArrayList<>(f.events);
    }

    static List<String> everySplitPoint(Supplier<Dissector> d, int port, List<Msg> conversation) {
        int longest = conversation.stream().mapToInt(m -> m.bytes().length).max().orElse(1);
        List<String> whole = run(d, port, conversation, Integer.MAX_VALUE);
        for (int k = 1; k < longest; k++) {
            assertThat(run(d, port, conversation, k)).as("split at %d", k).isEqualTo(whole);
        }
        return whole;
    }

    static final List<Msg> HTTP = List.of(
            Msg.c("GET /a?user=alice HTTP/1.1\r\nHost: www.example.test\r\nUser-Agent: split/1\r\n\r\n"
                    + "POST /p HTTP/1.1\r\nHost: www.example.test\r\nContent-Length: 5\r\n\r\nhello"
                    + "HEAD /h HTTP/1.1\r\nHost: www.example.test\r\n\r\n"
                    + "GET /c HTTP/1.1\r\nHost: www.example.test\r\n\r\n"),
            Msg.s("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\nabc"
                    + "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwxyz\r\n0\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
                    + "HTTP/1.1 500 Oops\r\nServer: t\r\n\r\nbody-to-close"));

    @Test
    void httpPipelinedRequestsAndEveryResponseFraming() {
        List<String> events = everySplitPoint(HttpDissector::new, 80, HTTP);
        assertThat(events).hasSize(4);
        assertThat(events.get(0)).contains("http.method=GET", "http.url=/a,", "http.host=www.example.test",
                "http.user_agent=split/1", "http.status=200", "http.content_type=text/plain", "http.response_bytes=3")
                .doesNotContain("alice");
        assertThat(events.get(1)).contains("http.method=POST", "http.request_bytes=5", "http.status=404", "http.response_bytes=4");
        assertThat(events.get(2)).contains("http.method=HEAD", "http.status=200", "http.response_bytes=0");
        assertThat(events.get(3)).contains("http.url=/c", "http.status=500", "http.response_bytes=13"); // to the end of the connection
    }

    @Test
    void httpRequestWithoutResponseIsReportedAtTheEnd() {
        List<String> events = everySplitPoint(HttpDissector::new, 80, List.of(
                Msg.c("GET /x HTTP/1.1\r\nHost: h.test\r\n\r\nGET /y HTTP/1.1\r\nHost: h.test\r\n\r\n"),
                Msg.s("HTTP/1.1 204 No Content\r\n\r\n")));
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).contains("http.url=/x", "http.status=204");
        assertThat(events.get(1)).contains("http.url=/y").doesNotContain("http.status");
    }

    @Test
    void ftpCommandsAndTheirFinalReplies() {
        List<String> events = everySplitPoint(FtpDissector::new, 21, List.of(
                Msg.s("220 Welcome\r\n"), Msg.c("USER alice\r\n"), Msg.s("331 Password required\r\n"),
                Msg.c("PASS secret\r\n"), Msg.s("230-Hello\r\n230 Logged in\r\n"),
                Msg.c("PASV\r\n"), Msg.s("227 Entering Passive Mode (10,0,0,2,200,10)\r\n"),
                Msg.c("RETR report.pdf\r\n"), Msg.s("150 Opening\r\n226 Transfer complete\r\n"),
                Msg.c("QUIT\r\n")));
        assertThat(events).hasSize(5);
        assertThat(events.get(0)).contains("ftp.command=USER", "ftp.user=alice", "ftp.reply_code=331");
        assertThat(events.get(1)).contains("ftp.command=PASS", "ftp.reply_code=230").doesNotContain("secret");
        assertThat(events.get(2)).contains("ftp.command=PASV", "ftp.reply_code=227");
        assertThat(events.get(3)).contains("ftp.command=RETR", "ftp.argument=report.pdf", "ftp.reply_code=226");
        assertThat(events.get(4)).contains("ftp.command=QUIT").doesNotContain("ftp.reply_code");  // never answered
    }

    @Test
    void smtpMailTransactions() {
        List<String> events = everySplitPoint(SmtpDissector::new, 25, List.of(
                Msg.s("220 mx.example.test ESMTP\r\n"), Msg.c("EHLO client.example.test\r\n"),
                Msg.s("250-mx.example.test\r\n250 SIZE 1000000\r\n"),
                Msg.c("MAIL FROM:<alice@example.test> SIZE=40\r\n"), Msg.s("250 OK\r\n"),
                Msg.c("RCPT TO:<bob@example.test>\r\n"), Msg.s("250 OK\r\n"),
                Msg.c("RCPT TO:<carol@example.test>\r\n"), Msg.s("250 OK\r\n"),
                Msg.c("DATA\r\n"), Msg.s("354 Go ahead\r\n"),
                Msg.c("Subject: hi\r\n\r\nbody\r\n.\r\n"), Msg.s("250 Queued\r\n"),
                Msg.c("MAIL FROM:<alice@example.test>\r\n"), Msg.s("250 OK\r\n"),
                Msg.c("RSET\r\n"), Msg.s("250 OK\r\n"),
                Msg.c("QUIT\r\n"), Msg.s("221 Bye\r\n")));
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).contains("smtp.ehlo=client.example.test", "smtp.mail_from=alice@example.test",
                "smtp.rcpt_count=2", "smtp.message_bytes=21", "smtp.reply_code=250");
        assertThat(events.get(1)).contains("smtp.rcpt_count=0").doesNotContain("smtp.reply_code");
    }

    @Test
    void withoutEventsNothingIsReportedAndHttpStopsAtTheFirstResponse() {
        Dissector d = new HttpDissector();
        TestFlow f = TestFlow.tcp(d, 80);
        for (Msg m : HTTP) {
            f.feed(m.fromClient(), m.bytes());
        }
        f.end();
        assertThat(f.events).isEmpty();
        assertThat(f.meta).containsEntry("http.status", 200L).containsEntry("http.requests", 4L);
    }
}
