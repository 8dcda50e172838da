package org.fathom.protocol.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Bytes;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.DissectorChecks;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

/** WHOIS and Z39.50, on the bytes of the corpus captures whois.pcapng and z3950.pcapng. */
class LookupDissectorsTest {
    static final String IANA = "% IANA WHOIS server\n% for more information on IANA, visit http://www.iana.org\n";
    /** z3950.pcapng: the client's initRequest and the server's initResponse (first 48 bytes of each). */
    static final String INIT_REQUEST = "b458830200e0840300c1a28504040000008604040000009f6e0238319f6f0a5a4f4f4d2d432f59415a9f702e352e";
    static final String INIT_RESPONSE = "b559830200e0840300c1828504040000008604040000008c01019f6e0238319f6f074746532f59415a9f702f352e";

    @Test
    void whoisQueryAndAnswerAtEverySplit() {
        TestFlow f = Splits.check(WhoisDissector::new, d -> TestFlow.tcp(d, 43), List.of(Msg.c("example.com\r\n"), Msg.s(IANA)));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).isEmpty(); // the query is personal data at times: never recorded
    }

    @Test
    void notWhois() {
        // the port is required, one CRLF-terminated query, the server never first, text answers
        assertThat(Splits.whole(WhoisDissector::new, d -> TestFlow.tcp(d, 80), List.of(Msg.c("example.com\r\n"), Msg.s(IANA))).verdict)
                .isEqualTo(Dissector.NO);
        assertThat(Splits.whole(WhoisDissector::new, d -> TestFlow.tcp(d, 43), List.of(Msg.c("a\r\nb\r\n"), Msg.s(IANA))).verdict)
                .isEqualTo(Dissector.NO);
        assertThat(Splits.whole(WhoisDissector::new, d -> TestFlow.tcp(d, 43), List.of(Msg.s(IANA))).verdict).isEqualTo(Dissector.NO);
        assertThat(Splits.whole(WhoisDissector::new, d -> TestFlow.tcp(d, 43),
                List.of(Msg.c("example.com\r\n"), Msg.s(new byte[] {0x16, 3, 1, 0, 5}))).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new WhoisDissector(), 43).client(new byte[] {0x16, 3, 1, 0, (byte) 0xc8}).verdict).isEqualTo(Dissector.NO);
        DissectorChecks.neverThrows(new WhoisDissector(), 43, 9, DissectorChecks.ascii("example.com\r\n"), DissectorChecks.ascii(IANA));
    }

    @Test
    void z3950InitAtEverySplit() {
        TestFlow f = Splits.check(Z3950Dissector::new, d -> TestFlow.tcp(d, 210),
                List.of(Msg.c(Bytes.of().hex(INIT_REQUEST).get()), Msg.s(Bytes.of().hex(INIT_RESPONSE).get())));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        // with a referenceId first, on another port (z3950.pcapng also has a server on 9991)
        byte[] withRef = Bytes.of().hex("b40f82020102830200e0840300c1a2").get();
        assertThat(TestFlow.tcp(new Z3950Dissector(), 9991).client(withRef).matched).isTrue();
    }

    @Test
    void notZ3950() {
        byte[] wrongOrder = Bytes.of().hex("b40c840300c1a2830200e0").get();
        assertThat(TestFlow.tcp(new Z3950Dissector(), 210).client(wrongOrder).verdict).isEqualTo(Dissector.NO);
        byte[] longVersion = Bytes.of().hex("b4208319" + "00".repeat(25) + "840300c1a2").get();
        assertThat(TestFlow.tcp(new Z3950Dissector(), 210).client(longVersion).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new Z3950Dissector(), 210).client(Bytes.of().hex(INIT_RESPONSE).get()).verdict).isEqualTo(Dissector.NO);
        for (String o : Bytes.OTHERS) {
            assertThat(TestFlow.tcp(new Z3950Dissector(), 210).client(DissectorChecks.ascii(o)).verdict).as(o).isEqualTo(Dissector.NO);
        }
        DissectorChecks.neverThrows(new Z3950Dissector(), 210, 10, Bytes.of().hex(INIT_REQUEST).get(), Bytes.of().hex(INIT_RESPONSE).get());
    }
}
