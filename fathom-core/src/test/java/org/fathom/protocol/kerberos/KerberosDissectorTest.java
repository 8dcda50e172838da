package org.fathom.protocol.kerberos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.be32;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.derInt;
import static org.fathom.protocol.apptest.Bytes.tlv;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class KerberosDissectorTest {
    static byte[] principal(String... parts) {
        byte[][] names = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            names[i] = tlv(0x1B, ascii(parts[i]));
        }
        return tlv(0x30, tlv(0xA0, derInt(1)), tlv(0xA1, tlv(0x30, names)));
    }

    /** AS-REQ (RFC 4120 section 5.4.1) with a PA-ENC-TIMESTAMP-sized padata. */
    static byte[] asReq(String realm) {
        byte[] body = tlv(0x30,
                tlv(0xA0, tlv(0x03, new byte[] {0, 0x40, (byte) 0x81, 0, 0x10})),
                tlv(0xA1, principal("alice")),
                tlv(0xA2, tlv(0x1B, ascii(realm))),
                tlv(0xA3, principal("krbtgt", realm)),
                tlv(0xA5, tlv(0x18, ascii("20370913024805Z"))),
                tlv(0xA7, derInt(12345)),
                tlv(0xA8, tlv(0x30, derInt(18), derInt(17))));
        byte[] padata = tlv(0xA3, tlv(0x30, tlv(0x30, tlv(0xA1, derInt(2)), tlv(0xA2, tlv(0x04, new byte[60])))));
        return tlv(0x6A, tlv(0x30, tlv(0xA1, derInt(5)), tlv(0xA2, derInt(10)), padata, tlv(0xA4, body)));
    }

    /** KRB-ERROR (section 5.9.1) KDC_ERR_PREAUTH_REQUIRED. */
    static byte[] error(String realm) {
        return tlv(0x7E, tlv(0x30, tlv(0xA0, derInt(5)), tlv(0xA1, derInt(30)),
                tlv(0xA4, tlv(0x18, ascii("20240101000000Z"))), tlv(0xA5, derInt(1)), tlv(0xA6, derInt(25)),
                tlv(0xA9, tlv(0x1B, ascii(realm))), tlv(0xAA, principal("krbtgt", realm))));
    }

    @Test
    void udpRequestAndError() {
        TestFlow f = TestFlow.udp(new KerberosDissector(), 88).client(asReq("EXAMPLE.ORG")).server(error("EXAMPLE.ORG"));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("kerberos.request", "AS-REQ").containsEntry("kerberos.reply", "KRB-ERROR")
                .containsEntry("kerberos.realm", "EXAMPLE.ORG").containsEntry("kerberos.error_code", 25L);
        assertThat(f.meta.toString()).doesNotContain("alice");
    }

    @Test
    void tcpFramingAtEverySplit() {
        byte[] req = asReq("CORP.EXAMPLE.COM");
        byte[] err = error("CORP.EXAMPLE.COM");
        TestFlow f = Splits.check(KerberosDissector::new, d -> TestFlow.tcp(d, 88), List.of(
                Msg.c(cat(be32(req.length), req)), Msg.s(cat(be32(err.length), err))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("kerberos.realm", "CORP.EXAMPLE.COM");
    }

    @Test
    void wrongPvnoOrTypeOrLengthIsNotKerberos() {
        byte[] req = asReq("X");
        byte[] badLen = cat(req, new byte[] {0});
        assertThat(TestFlow.udp(new KerberosDissector(), 88).client(badLen).verdict).isEqualTo(Dissector.NO);
        byte[] v4 = tlv(0x6A, tlv(0x30, tlv(0xA1, derInt(4)), tlv(0xA2, derInt(10))));
        assertThat(TestFlow.udp(new KerberosDissector(), 88).client(v4).verdict).isEqualTo(Dissector.NO);
        byte[] mismatch = tlv(0x6A, tlv(0x30, tlv(0xA1, derInt(5)), tlv(0xA2, derInt(12))));
        assertThat(TestFlow.udp(new KerberosDissector(), 88).client(mismatch).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new KerberosDissector(), 88).client(cat(be32(req.length + 1), req, new byte[] {0})).verdict).isEqualTo(Dissector.NO);
    }
}
