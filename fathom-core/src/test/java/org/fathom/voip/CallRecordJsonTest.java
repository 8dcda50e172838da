package org.fathom.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.fathom.output.JsonLinesFlowSink;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.record.RecordKind;
import org.fathom.testing.Analyze;
import org.junit.jupiter.api.Test;

/** What the call records say as written, and that docs/VOIP.md says the same (issue 16 item 8). */
class CallRecordJsonTest {
    @Test
    void aCallWithoutRingingHasNullPddAsTheDocSays() throws IOException {
        var policy = Analyze.labPolicy();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrivacyGuard guard = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()),
                List.of(new JsonLinesFlowSink(out, false, EnumSet.of(RecordKind.CALL))))) {
            CallAnalyzer an = new CallAnalyzer(CallConfig.defaults(), new CallStats(), guard);
            long t = 1_700_000_000_000_000_000L;
            an.onPacket(CallAnalyzerTest.udp(CallAnalyzerTest.A, 5060, CallAnalyzerTest.B, 5060,
                    CallAnalyzerTest.req("INVITE", "c1", 1, null, "", ""), t));
            an.onPacket(CallAnalyzerTest.udp(CallAnalyzerTest.B, 5060, CallAnalyzerTest.A, 5060,
                    CallAnalyzerTest.resp(486, "c1", 1, "INVITE", ""), t + 1000));
            an.finish(guard);
        }
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).contains("\"type\":\"call\"").contains("\"pdd_ms\":null");
        Path doc = Files.isRegularFile(Path.of("../docs/VOIP.md")) ? Path.of("../docs/VOIP.md") : Path.of("docs/VOIP.md");
        String text = Files.readString(doc).replaceAll("\\s+", " ");
        assertThat(text).doesNotContain("-1 without ringing").contains("`pdd_ms` is `null` without ringing");
    }
}
