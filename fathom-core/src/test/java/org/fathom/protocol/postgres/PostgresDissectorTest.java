package org.fathom.protocol.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.be32;
import static org.fathom.protocol.apptest.Bytes.cat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.apptest.Golden;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

class PostgresDissectorTest {
    static byte[] startup() {
        byte[] params = ascii("user\0alice\0database\0shop\0application_name\0psql\0\0");
        return cat(be32(8 + params.length), be32(196608), params);
    }

    @Test
    void sslRequestAcceptedEndsInTls() {
        TestFlow f = Splits.check(PostgresDissector::new, d -> TestFlow.tcp(d, 5432), List.of(
                Msg.c(cat(be32(8), be32(80877103))), Msg.s("S")));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("postgresql.tls", true);
    }

    @Test
    void startupWithCleartextPasswordRequest() {
        TestFlow f = Splits.check(PostgresDissector::new, d -> TestFlow.tcp(d, 5432), List.of(
                Msg.c(startup()), Msg.s(cat(ascii("R"), be32(8), be32(3)))));
        assertThat(f.matched).isTrue();
        assertThat(f.risks).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(f.meta.toString()).doesNotContain("alice");
        TestFlow md5 = TestFlow.tcp(new PostgresDissector(), 5432).client(startup()).server(cat(ascii("R"), be32(12), be32(5), be32(0x01020304)));
        assertThat(md5.risks).isEmpty();
    }

    @Test
    void notPostgres() {
        assertThat(TestFlow.tcp(new PostgresDissector(), 5432).client(cat(be32(8), be32(12345))).verdict).isEqualTo(Dissector.NO);
        byte[] bad = startup();
        bad[bad.length - 1] = 'x';
        assertThat(TestFlow.tcp(new PostgresDissector(), 5432).client(bad).verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void goldenPsql() throws Exception {
        List<FlowRecord> flows = Golden.flows("postgres/postgres.pcap");
        assertThat(flows).hasSize(2).allSatisfy(r -> {
            assertThat(r.protocol()).isEqualTo("PostgreSQL");
            assertThat(r.confidence()).isEqualTo("DPI");
            assertThat(r.risks()).contains("clear_text_credentials"); // the server uses "password" authentication
        });
    }
}
