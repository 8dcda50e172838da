package org.fathom.protocol.smb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class SmbDissectorTest {
    static byte[] session(byte[] msg) {
        return cat(new byte[] {0, 0, (byte) (msg.length >>> 8), (byte) msg.length}, msg);
    }

    /** SMB2 NEGOTIATE request header ([MS-SMB2] 2.2.1): protocol id, StructureSize 64, ... */
    static byte[] smb2Negotiate() {
        return cat(hex("fe534d42 4000 0000 00000000 0000 0000 00000000 00000000 0000000000000000 00000000 00000000 0000000000000000 00000000000000000000000000000000"),
                hex("24000200010000000000000000000000" + "00".repeat(16) + "02021002"));
    }

    static byte[] smb1Negotiate() {
        return cat(hex("ff534d42 72 00000000 18 5328 0000 0000000000000000 0000 0000 fffe 0000 0000"), hex("000e00024e54204c4d20302e313200"));
    }

    @Test
    void smb2AtEverySplit() {
        TestFlow f = Splits.check(SmbDissector::new, d -> TestFlow.tcp(d, 445), List.of(Msg.c(session(smb2Negotiate()))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("smb.version", 2L);
        assertThat(f.protocol).isNull();
    }

    @Test
    void smb1IsNetbiosCarryingSmbv1() {
        TestFlow f = TestFlow.tcp(new SmbDissector(), 445).client(session(smb1Negotiate()));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.protocol).isEqualTo("NetBIOS");
        assertThat(f.application).isEqualTo("SMBv1");
    }

    @Test
    void netbiosSessionRequestBeforeTheMessage() {
        byte[] request = cat(hex("81000044"), new byte[68]);
        TestFlow f = TestFlow.tcp(new SmbDissector(), 139).client(request).server(hex("82000000")).client(session(smb1Negotiate()));
        assertThat(f.application).isEqualTo("SMBv1");
    }

    @Test
    void notSmb() {
        assertThat(TestFlow.tcp(new SmbDissector(), 445).client(session(hex("fe534d42 2000 0000"))).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new SmbDissector(), 445).client(session(cat(hex("00534d42"), new byte[60]))).verdict).isEqualTo(Dissector.NO);
    }
}
