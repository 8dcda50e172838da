package org.fathom.protocol.ftp;

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

class FtpDissectorTest {
    static final List<Msg> SESSION = List.of(
            Msg.s("220-Welcome\r\n220 FTP server ready\r\n"),
            Msg.c("USER anonymous\r\n"),
            Msg.s("331 Please specify the password.\r\n"),
            Msg.c("PASS guest@\r\n"),
            Msg.s("230 Login successful.\r\n"),
            Msg.c("PASV\r\n"),
            Msg.s("227 Entering Passive Mode (192,0,2,7,19,137).\r\n"),
            Msg.c("EPSV\r\n"),
            Msg.s("229 Entering Extended Passive Mode (|||50000|)\r\n"),
            Msg.c("PORT 198,51,100,9,4,1\r\n"),
            Msg.s("200 PORT command successful.\r\n"),
            Msg.c("EPRT |2|2001:db8::1|6275|\r\n"),
            Msg.s("200 EPRT command successful.\r\n"));

    @Test
    void sessionAtEverySplit() {
        TestFlow f = Splits.check(FtpDissector::new, d -> TestFlow.tcp(d, 21), SESSION);
        assertThat(f.matched).isTrue();
        assertThat(f.meta).containsEntry("ftp.user", "anonymous").containsEntry("ftp.server_banner", "Welcome");
        assertThat(f.risks).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(f.meta.toString()).doesNotContain("guest@");
        long v4 = 0x0000FFFF00000000L;
        assertThat(f.expectations).contains(
                "6/0:" + Long.toHexString(v4 | 0xC0000207L) + ":5001=FTP_DATA", // 19*256+137
                "6/0:" + Long.toHexString(v4 | 0x0A000002L) + ":5001=FTP_DATA", // the real server address too
                "6/0:" + Long.toHexString(v4 | 0x0A000002L) + ":50000=FTP_DATA",
                "6/0:" + Long.toHexString(v4 | 0xC6336409L) + ":1025=FTP_DATA",
                "6/20010db800000000:1:6275=FTP_DATA");
    }

    @Test
    void smtpClientAfterA220IsNotFtp() {
        TestFlow f = TestFlow.tcp(new FtpDissector(), 21);
        f.server(Msg.s("220 mail.example.org ESMTP\r\n").bytes()).client(Msg.c("EHLO client.example.org\r\n").bytes());
        assertThat(f.verdict).isEqualTo(Dissector.NO);
        assertThat(f.meta).isEmpty();
    }

    @Test
    void addressParsers() {
        byte[] r = Msg.s("227 Entering Passive Mode 10,1,2,3,0,21").bytes();
        assertThat(FtpAddress.commaForm(r, 4, r.length - 4)).containsExactly(0, 0x0000FFFF0A010203L, 21);
        byte[] bad = Msg.s("227 (10,1,2,300,0,21)").bytes();
        assertThat(FtpAddress.commaForm(bad, 4, bad.length - 4)).isNull();
        byte[] e = Msg.s("229 ok (!!!1234!)").bytes();
        assertThat(FtpAddress.epsvPort(e, 0, e.length)).isEqualTo(1234);
        byte[] x = Msg.s("|1|132.235.1.2|6275|").bytes();
        assertThat(FtpAddress.eprt(x, 0, x.length)).containsExactly(0, 0x0000FFFF84EB0102L, 6275);
        byte[] y = Msg.s("|2|example.org|6275|").bytes();
        assertThat(FtpAddress.eprt(y, 0, y.length)).isNull();
    }

    @Test
    void goldenPythonFtplibSessions() throws Exception {
        List<FlowRecord> flows = Golden.flows("ftp/ftp.pcap");
        List<FlowRecord> control = flows.stream().filter(r -> r.dstPort() == 21).toList();
        assertThat(control).hasSize(2).allSatisfy(r -> {
            assertThat(r.protocol()).isEqualTo("FTP_CONTROL");
            assertThat(r.risks()).contains("clear_text_credentials");
        });
        assertThat(control.get(0).metadata()).containsEntry("ftp.user", "alice");
        // one passive (227) and one active (PORT) data connection, both announced
        List<FlowRecord> data = flows.stream().filter(r -> r.dstPort() != 21).toList();
        assertThat(data).hasSize(2).allSatisfy(r -> {
            assertThat(r.protocol()).isEqualTo("FTP_DATA");
            assertThat(r.confidence()).isEqualTo("DPI");
        });
    }
}
