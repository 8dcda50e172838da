package org.fathom.protocol.telnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.hex;

import org.fathom.protocol.Dissector;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class TelnetDissectorTest {
    @Test
    void negotiations() {
        // DO TERMINAL-TYPE, DO TERMINAL-SPEED, WILL ECHO
        assertThat(TestFlow.tcp(new TelnetDissector(), 23).server(hex("fffd18 fffd20 fffb01")).verdict).isEqualTo(Dissector.DONE);
        TestFlow f = TestFlow.tcp(new TelnetDissector(), 23).server(hex("fffd18"));
        assertThat(f.verdict).isEqualTo(Dissector.NEED_MORE);
        f.client(hex("fffb18"));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        // subnegotiation: IAC SB TERMINAL-TYPE SEND IAC SE, then IAC DO ECHO
        assertThat(TestFlow.tcp(new TelnetDissector(), 23).server(hex("fffa1801fff0 fffd01")).verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void notTelnet() {
        assertThat(TestFlow.tcp(new TelnetDissector(), 23).server(hex("ffffffffffffffffffffffffffffffff001304")).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new TelnetDissector(), 23).server(hex("fffd99")).verdict).isEqualTo(Dissector.NO);
        TestFlow f = TestFlow.tcp(new TelnetDissector(), 23).server(hex("fffd18"));
        f.client(hex("474554"));
        assertThat(f.verdict).isEqualTo(Dissector.NO);
    }
}
