package org.fathom.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.fathom.record.CallRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 7 with real peers: sipp calls that answer the 401 challenge 40 s later
 * (captures/voip/README.md, "Slow authentication retries") are one call each, as sipp counts them.
 */
class SippSlowAuthTest {
    static final Path DIR = Path.of("src/test/resources/captures/voip/slow-auth");

    @Test
    void aRetry40sAfterTheChallengeIsTheSameCall(@TempDir Path tmp) throws IOException {
        Path pcap = tmp.resolve("slow-auth.pcap");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(DIR.resolve("sipp-slow-auth.pcap.gz")))) {
            Files.copy(in, pcap, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> csv = Files.readAllLines(DIR.resolve("slow_auth.csv"));
        List<String> head = List.of(csv.getFirst().split(";"));
        String[] last = csv.getLast().split(";");
        long successful = Long.parseLong(last[head.indexOf("SuccessfulCall(C)")]);
        assertThat(Long.parseLong(last[head.indexOf("FailedCall(C)")])).isZero();

        CallStats stats = new CallStats();
        List<CallRecord> calls = Analyze.calls(pcap, CallConfig.defaults(), stats);
        assertThat(calls).hasSize((int) successful);
        assertThat(calls).extracting(CallRecord::outcome).containsOnly("completed");
        assertThat(calls).extracting(CallRecord::callId).doesNotHaveDuplicates();
        assertThat(stats.attempts()).isEqualTo(successful);
        assertThat(stats.count("rejected")).isZero();
    }
}
