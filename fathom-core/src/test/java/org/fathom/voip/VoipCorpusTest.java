package org.fathom.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fathom.record.CallRecord;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Calls of real captures of the nDPI corpus, checked against tshark ({@code tshark -r FILE -q -z
 * rtp,streams}) and against the SIP messages themselves. Skipped when the corpus is absent.
 */
class VoipCorpusTest {
    static final Path PCAP = Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap")) ? Path.of("../../shared/corpus/ndpi/pcap")
            : Path.of("../../../shared/corpus/ndpi/pcap");

    static List<CallRecord> calls(String capture) {
        Path p = PCAP.resolve(capture);
        Assumptions.assumeTrue(Files.isRegularFile(p), "nDPI corpus not present");
        return Analyze.calls(p, CallConfig.defaults(), new CallStats());
    }

    /** The leg between 10.35.60.72 and 10.35.60.100 (the capture holds both legs of a B2BUA). */
    static CallRecord faxLeg(List<CallRecord> l) {
        assertThat(l).hasSize(2);
        return l.stream().filter(c -> c.callId().startsWith("00e9d4a5")).findFirst().orElseThrow();
    }

    /**
     * A T.38 fax call whose G.711 leg from the callee's gateway carries comfort noise: tshark sees
     * 1,171 packets and 0 lost on 10.23.1.52:16756 to 10.35.60.100:15580 (issue 16 item 5).
     */
    @Test
    void faxCallComfortNoiseIsNotLoss() {
        List<CallRecord> l = calls("FAX-Call-t38-CA-TDM-SIP-FB-1.pcap");
        CallRecord.MediaStream up = faxLeg(l).media().stream().filter(m -> m.direction().equals("caller_to_callee"))
                .findFirst().orElseThrow();
        assertThat(up.packets()).isEqualTo(1171);
        assertThat(up.lossPct()).isZero();
        assertThat(up.codec()).isEqualTo("PCMA/8000");
    }

    /**
     * The same call: T.38 packets stop at 09:23:22.88 (65 s into the capture), and the caller hangs
     * up normally 40 s later (BYE with Q.850 cause 16 at 09:24:02.38): completed, ended by the BYE
     * (issue 16 item 6).
     */
    @Test
    void faxCallEndsWithItsByeNotTheMediaTimeout() {
        CallRecord c = faxLeg(calls("FAX-Call-t38-CA-TDM-SIP-FB-1.pcap"));
        assertThat(c.outcome()).isEqualTo("completed");
        assertThat(c.endReason()).isEqualTo("bye");
        assertThat(java.time.Instant.ofEpochSecond(0, c.endNanos()).toString()).startsWith("2008-12-05T09:24:02.");
    }
}
