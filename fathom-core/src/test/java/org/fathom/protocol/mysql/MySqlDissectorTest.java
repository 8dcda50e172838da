package org.fathom.protocol.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class MySqlDissectorTest {
    static byte[] packet(int seq, byte[] payload) {
        return cat(new byte[] {(byte) payload.length, (byte) (payload.length >>> 8), (byte) (payload.length >>> 16), (byte) seq}, payload);
    }

    /** Protocol::HandshakeV10. */
    static byte[] greeting(String version) {
        return packet(0, cat(new byte[] {10}, ascii(version), new byte[] {0}, hex("0a000000"), ascii("abcdefgh"), new byte[] {0},
                hex("ffff 21 0200 ffc1 15 00000000000000000000"), ascii("ijklmnopqrst"), new byte[] {0}, ascii("mysql_native_password\0")));
    }

    @Test
    void greetingAtEverySplit() {
        TestFlow f = Splits.check(MySqlDissector::new, d -> TestFlow.tcp(d, 3306), List.of(Msg.s(greeting("8.0.36-0ubuntu0.22.04.1"))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("mysql.server_version", "8.0.36-0ubuntu0.22.04.1");
    }

    @Test
    void hostRefusedErrorPacket() {
        TestFlow f = TestFlow.tcp(new MySqlDissector(), 3306).server(packet(0, cat(hex("ff6a04"), ascii("Host '10.0.0.9' is not allowed to connect to this MySQL server"))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void notMysql() {
        assertThat(TestFlow.tcp(new MySqlDissector(), 3306).server(packet(0, cat(new byte[] {10}, ascii("xyz\0"), new byte[20]))).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new MySqlDissector(), 3306).client(greeting("8.0.1")).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new MySqlDissector(), 3306).server(packet(1, cat(new byte[] {10}, ascii("8.0\0"), new byte[20]))).verdict).isEqualTo(Dissector.NO);
    }
}
