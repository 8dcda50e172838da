package org.fathom.protocol.tds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.be16;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;
import static org.fathom.protocol.apptest.Bytes.le32;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class TdsDissectorTest {
    static byte[] packet(int type, int status, byte[] body) {
        return cat(new byte[] {(byte) type, (byte) status}, be16(body.length + 8), new byte[] {0, 0, 1, 0}, body);
    }

    /** PRELOGIN ([MS-TDS] 2.2.6.5): VERSION and ENCRYPTION options, terminator, data. */
    static byte[] prelogin() {
        byte[] table = cat(new byte[] {0}, be16(11), be16(6), new byte[] {1}, be16(17), be16(1), new byte[] {(byte) 0xFF});
        return packet(0x12, 0x01, cat(table, hex("0f00077e0000"), new byte[] {2}));
    }

    /** LOGIN7 (2.2.6.4) fixed part with a 4-character password. */
    static byte[] login7(int passwordChars) {
        byte[] b = new byte[94];
        byte[] len = le32(94);
        System.arraycopy(len, 0, b, 0, 4);
        b[4] = 4;
        b[7] = 0x74; // TDS 7.4
        b[46] = (byte) passwordChars;
        return packet(0x10, 0x01, b);
    }

    static byte[] sqlBatch(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_16LE);
        byte[] allHeaders = cat(le32(22), le32(18), new byte[] {2, 0}, new byte[8], le32(1));
        return packet(0x01, 0x01, cat(allHeaders, text));
    }

    @Test
    void preloginThenLoginAtEverySplit() {
        TestFlow f = Splits.check(TdsDissector::new, d -> TestFlow.tcp(d, 1433), List.of(
                Msg.c(prelogin()), Msg.s(packet(0x04, 0x01, new byte[] {0, 0, 11, 0, 6, (byte) 0xFF, 15, 0, 7, 0x7e, 0, 0, 2})),
                Msg.c(login7(4))));
        assertThat(f.matched).isTrue();
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void cleartextLogin7IsARisk() {
        TestFlow f = TestFlow.tcp(new TdsDissector(), 1433).client(login7(6));
        assertThat(f.matched).isTrue();
        assertThat(f.risks).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(TestFlow.tcp(new TdsDissector(), 1433).client(login7(0)).risks).isEmpty();
    }

    @Test
    void midStreamBatchesAreRecognised() {
        assertThat(TestFlow.tcp(new TdsDissector(), 1433).client(sqlBatch("select 1")).matched).isTrue();
        byte[] legacy = packet(0x01, 0x01, "COMMIT TRANSACTION".getBytes(StandardCharsets.UTF_16LE));
        assertThat(TestFlow.tcp(new TdsDissector(), 1433).client(legacy).matched).isTrue();
        byte[] rpc = packet(0x03, 0x01, cat(new byte[] {(byte) 0xFF, (byte) 0xFF, 10, 0}, new byte[8]));
        assertThat(TestFlow.tcp(new TdsDissector(), 1433).client(rpc).matched).isTrue();
        TestFlow split = Splits.check(TdsDissector::new, d -> TestFlow.tcp(d, 1433), List.of(Msg.c(sqlBatch("select name from sys.databases"))));
        assertThat(split.matched).isTrue();
    }

    @Test
    void badHeadersAreRejected() {
        byte[] p = prelogin();
        p[7] = 1; // window must be 0
        assertThat(TestFlow.tcp(new TdsDissector(), 1433).client(p).verdict).isEqualTo(Dissector.NO);
        byte[] q = prelogin();
        q[1] = 0x40; // undefined status bit
        assertThat(TestFlow.tcp(new TdsDissector(), 1433).client(q).verdict).isEqualTo(Dissector.NO);
        byte[] binary = packet(0x01, 0x01, new byte[] {(byte) 0x80, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88, (byte) 0x99});
        assertThat(TestFlow.tcp(new TdsDissector(), 1433).client(binary).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new TdsDissector(), 1433).server(packet(0x04, 0x01, new byte[] {(byte) 0xFD})).matched).isFalse();
    }
}
