package org.fathom.protocol.dnscrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.hex;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class DnsCryptDissectorTest {
    static final byte[] NONCE = hex("0a50507d66afa7bc382bbf7e");

    static byte[] query() {
        return cat(hex("e3c3eac4701b47d5"), new byte[32], NONCE, new byte[256]);
    }

    @Test
    void answerEchoesTheClientNonce() {
        TestFlow f = TestFlow.udp(new DnsCryptDissector(), 443).client(query()).server(cat(ascii("r6fnvWj8"), NONCE, new byte[12], new byte[64]));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        TestFlow g = TestFlow.udp(new DnsCryptDissector(), 443).client(query()).server(cat(ascii("r6fnvWj8"), new byte[12], new byte[12], new byte[64]));
        assertThat(g.verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void smallOrMagicLessPacketsAreNot() {
        assertThat(TestFlow.udp(new DnsCryptDissector(), 443).client(new byte[40]).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.udp(new DnsCryptDissector(), 443).client(query()).server(new byte[120]).verdict).isEqualTo(Dissector.NO);
    }
}
