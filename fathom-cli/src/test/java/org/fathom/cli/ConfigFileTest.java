package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --config FILE}: YAML with the option names as keys; the command line overrides it. */
class ConfigFileTest {
    @TempDir
    Path dir;

    static final String SAMPLE = FathomMetricsTest.SAMPLE.toString();

    Path config(String yaml) throws Exception {
        Path f = dir.resolve("fathom.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void analyzeTakesItsOptionsFromTheFile() throws Exception {
        Path flows = dir.resolve("flows.jsonl");
        Path f = config("""
                # a comment
                flows: %s
                audit-log: %s
                workers: 2
                quiet: true
                emergency-numbers: [112, "911"]
                """.formatted(flows, dir.resolve("audit.log")));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE, "--config", f.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).as("quiet: true").isEmpty();
        assertThat(JsonLines.flows(Files.readString(flows))).hasSize(6);
    }

    @Test
    void theCommandLineOverridesTheFile() throws Exception {
        Path fromFile = dir.resolve("from-file.jsonl");
        Path fromCli = dir.resolve("from-cli.jsonl");
        Path f = config("flows: %s\naudit-log: %s\nquiet: true\n".formatted(fromFile, dir.resolve("audit.log")));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE, "--flows=" + fromCli, "--config", f.toString(), "-w", "1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(fromCli).exists();
        assertThat(fromFile).doesNotExist();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void liveReadsItsOptionsFromTheFileToo() throws Exception {
        Path flows = dir.resolve("flows.jsonl");
        Path f = config("""
                read: %s
                replay: true
                flows: %s
                audit-log: %s
                active-timeout: 60
                """.formatted(SAMPLE, flows, dir.resolve("audit.log")));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("live", "--config", f.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Replayed   72 packets");
        assertThat(JsonLines.flows(Files.readString(flows))).hasSize(6);
    }

    @Test
    void badEntriesNameTheFileTheLineAndTheKey() throws Exception {
        String audit = "audit-log: " + dir.resolve("audit.log") + "\n";
        record Case(String yaml, String expected) {}
        List<Case> cases = List.of(
                new Case(audit + "flow-dir: /tmp/x\n", ":2: unknown key 'flow-dir' (keys are the long options of 'fathom analyze' without the dashes, see fathom analyze --help)"),
                new Case(audit + "quiet: true\nworkers: two\n", ":3: workers: Invalid value for option '--workers': 'two' is not an int"),
                new Case(audit + "quiet: yes please\n", ":2: quiet: true or false, not yes please"),
                new Case(audit + "flows: [a.jsonl, b.jsonl]\n", ":2: flows: one value, not a list"),
                new Case(audit + "flows:\n  file: a.jsonl\n", ":3: flows: a value or a list of values, not a mapping"),
                new Case(audit + "flows: a\nflows: b\n", ":3: key 'flows' given twice"),
                new Case(audit + "flows: [a\n", ":2: not valid YAML (while parsing a flow sequence)"),
                new Case("- flows\n", ":1: expected 'key: value' lines (a YAML mapping)"),
                new Case(audit + "config: other.yaml\n", ":2: unknown key 'config'"));
        for (Case c : cases) {
            Path f = config(c.yaml());
            AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom("analyze", SAMPLE, "--config", f.toString());
            assertThat(r.status()).as(c.yaml()).isEqualTo(2);
            assertThat(r.errLines()).as(c.yaml()).hasSize(1);
            assertThat(r.errLines().getFirst()).as(c.yaml()).startsWith("fathom: " + f + c.expected());
        }
        AnalyzeCommandTest.Run missing = AnalyzeCommandTest.fathom("analyze", SAMPLE, "--config", dir.resolve("none.yaml").toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.errLines()).containsExactly("fathom: " + dir.resolve("none.yaml") + ": no such config file");
    }

    @Test
    void theExampleConfigOfTheDocsIsValidForLive() {
        Path example = Path.of("..", "docs", "fathom-live.yaml");
        String[] args = ConfigFile.expand(Main.commandLine(), new String[] {"live", "--config", example.toString()});
        assertThat(args).contains("--interface=eth1", "--rotate=1h", "--rotate-size=1G", "--quiet",
                "--services=/etc/fathom/services.txt", "--subscriber-networks=10.0.0.0/8,100.64.0.0/10");
        // and the command line wins over it
        String[] over = ConfigFile.expand(Main.commandLine(),
                new String[] {"live", "--config", example.toString(), "-w", "4", "--services", "mine.txt"});
        assertThat(over).doesNotContain("--workers=2", "--services=/etc/fathom/services.txt").contains("-w", "4", "mine.txt");
    }

    @Test
    void helpNamesTheOption() {
        assertThat(AnalyzeCommandTest.fathom("live", "--help").out()).contains("--config=FILE");
        assertThat(AnalyzeCommandTest.fathom("analyze", "--help").out()).contains("--config=FILE");
    }
}
