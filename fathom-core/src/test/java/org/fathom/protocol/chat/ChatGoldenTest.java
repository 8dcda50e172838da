package org.fathom.protocol.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.samples.Golden;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

/** An IRC registration against ngircd on loopback (see captures/irc/README.md). */
class ChatGoldenTest {
    @Test
    void ngircdRegistration() throws Exception {
        List<FlowRecord> flows = Golden.analyze("/captures/irc/irc.pcap");
        assertThat(flows).hasSize(1);
        FlowRecord f = flows.get(0);
        assertThat(f.protocol()).isEqualTo("IRC");
        assertThat(f.category()).isEqualTo("Chat");
        assertThat(f.confidence()).isEqualTo("DPI");
        assertThat(f.dstPort()).isEqualTo(16667);
        assertThat(f.risks()).doesNotContain("clear_text_credentials");
    }
}
