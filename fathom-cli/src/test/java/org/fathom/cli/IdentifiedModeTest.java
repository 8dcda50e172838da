package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.cli.AnalyzeCommandTest.fathom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fathom.cli.AnalyzeCommandTest.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identified mode end to end through the command line, by both routes (options and policy file):
 * records of subscribers inside the authorisation's scope leave with raw addresses and the URL,
 * others pseudonymised and minimised, and the audit log records the run.
 */
class IdentifiedModeTest {
    private static final long MAY_2024 = 1_715_000_000L; // 2024-05-06

    @TempDir
    Path dir;
    Path capture;
    Path auth;

    @BeforeEach
    void files() throws IOException {
        capture = dir.resolve("two-subscribers.pcap");
        new TinyPcap(MAY_2024)
                .tcp("10.1.2.7", 40001, "93.184.216.34", 80,
                        "GET /in-scope/page?id=42 HTTP/1.1\r\nHost: example.org\r\nUser-Agent: curl/8\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .tcp("10.9.9.9", 40002, "93.184.216.34", 80,
                        "GET /out-of-scope/page?id=43 HTTP/1.1\r\nHost: example.org\r\nUser-Agent: curl/8\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .write(capture);
        auth = dir.resolve("authorisation.txt");
        Files.writeString(auth, "scope: 10.1.2.0/24\nfrom: 2024-05-01T00:00:00Z\nuntil: 2024-05-31T23:59:59Z\n"
                + "purpose: fault investigation for ticket 4711\nreference: NOC-2024-4711\n");
    }

    @Test
    void identifiedModeThroughOptions() throws IOException {
        Path flows = dir.resolve("flows.jsonl");
        Path audit = dir.resolve("audit.log");
        Run r = fathom("analyze", capture.toString(), "--privacy", "identified", "--authorisation", auth.toString(),
                "--audit-log", audit.toString(), "--flows", flows.toString(), "-q");
        assertIdentifiedRun(r, flows, audit);
    }

    @Test
    void identifiedModeThroughThePolicyFile() throws IOException {
        Path flows = dir.resolve("flows.jsonl");
        Path audit = dir.resolve("audit.log");
        Path config = dir.resolve("privacy.conf");
        // the mode comes before the authorisation on purpose: the order of the lines must not matter
        Files.writeString(config, "mode = identified\nauthorisation = authorisation.txt\naudit_log = audit.log\nkey_file = pseudonym.key\n");
        Run r = fathom("analyze", capture.toString(), "--privacy-config", config.toString(), "--flows", flows.toString(), "-q");
        assertIdentifiedRun(r, flows, audit);
    }

    @Test
    void identifiedModeWithoutAnAuthorisationIsStillRefused() throws IOException {
        Path config = dir.resolve("privacy.conf");
        Files.writeString(config, "mode = identified\naudit_log = audit.log\n");
        Run r = fathom("analyze", capture.toString(), "--privacy-config", config.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--authorisation").doesNotContain("Exception");
        assertThat(dir.resolve("audit.log")).doesNotExist();
    }

    private static void assertIdentifiedRun(Run r, Path flows, Path audit) throws IOException {
        assertThat(r.status()).as(r.err()).isZero();
        List<Map<String, Object>> records = JsonLines.flows(Files.readString(flows));
        assertThat(records).hasSize(2);
        Map<String, Object> in = records.stream().filter(m -> "10.1.2.7".equals(m.get("src_ip"))).findFirst().orElseThrow();
        assertThat(in).containsEntry("http.url", "/in-scope/page").containsEntry("dst_ip", "93.184.216.34")
                .doesNotContainKey("pseudonym_epoch");
        Map<String, Object> out = records.stream().filter(m -> !"10.1.2.7".equals(m.get("src_ip"))).findFirst().orElseThrow();
        assertThat(out.get("src_ip")).isNotEqualTo("10.9.9.9");
        assertThat(out).doesNotContainKey("http.url").containsKey("pseudonym_epoch").containsEntry("http.host", "example.org");
        assertThat(Files.readString(flows)).doesNotContain("10.9.9.9", "out-of-scope");
        Map<String, Object> header = JsonLines.parse(Files.readString(flows)).getFirst();
        assertThat(header).containsEntry("mode", "identified");
        String log = Files.readString(audit);
        assertThat(log).contains("\"run_started\"", "identified_run_authorised", "NOC-2024-4711", "fault investigation for ticket 4711",
                "\"run_finished\"");
        assertThat(log).containsPattern("\"records_released_identified\":1\\b");
        assertThat(fathom("audit", "verify", audit.toString()).status()).isZero();
    }
}
