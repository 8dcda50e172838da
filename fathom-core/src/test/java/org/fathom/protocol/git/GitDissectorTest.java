package org.fathom.protocol.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Golden;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

class GitDissectorTest {
    static byte[] pkt(String body) {
        String s = String.format("%04x", body.length() + 4) + body;
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void uploadPackRequestWithHost() {
        TestFlow f = Splits.check(GitDissector::new, d -> TestFlow.tcp(d, 9418),
                List.of(Msg.c(pkt("git-upload-pack /project.git\0host=git.example.org:9418\0"))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("git.host", "git.example.org");
        assertThat(f.host).isEqualTo("git.example.org");
    }

    @Test
    void otherProtocolsAreRejected() {
        assertThat(TestFlow.tcp(new GitDissector(), 9418).client("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new GitDissector(), 9418).client(pkt("git-frobnicate /x\0")).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new GitDissector(), 9418).server(pkt("git-upload-pack /x\0")).verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void goldenCloneOverGitDaemon() throws Exception {
        FlowRecord r = Golden.byServerPort(Golden.flows("git/git.pcap"), 9418);
        assertThat(r.protocol()).isEqualTo("Git");
        assertThat(r.confidence()).isEqualTo("DPI");
        assertThat(r.metadata()).containsEntry("git.host", "127.0.0.1");
    }
}
