package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The inline command's options, checked before any queue is touched (no privileges needed). */
class InlineOptionsTest {
    @Test
    void aQueueNumberOutOfRangeIsOneLine() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("inline", "--queue", "70000", "-q");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("fathom: --queue must be between 0 and 65535, not 70000");
    }

    @Test
    void theSameQueueTwiceIsOneLine() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("inline", "--queue", "3", "--queue", "3", "-q");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("fathom: --queue 3 is given twice");
    }

    @Test
    void aQueueIsRequired() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("inline", "-q");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines().getFirst()).contains("--queue");
    }

    @Test
    void helpNamesTheInlineOptionsTheRuleToUseAndTheSharedOptions() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("inline", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--queue=N", "--fail-open", "--queue-maxlen", "--rate-buckets",
                "iptables -A FORWARD -j NFQUEUE --queue-num 0 --queue-bypass", "--flows", "--calls", "--alerts",
                "--subscriber-networks", "cap_net_admin");
    }
}
