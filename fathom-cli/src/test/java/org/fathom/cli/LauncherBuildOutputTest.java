package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 11: the launcher's first-use build (and ./run-tests) run Maven through
 * scripts/jdk.sh's mvn_plain, which writes no ANSI escape sequences when its output is not a
 * colour terminal (here: a pipe).
 */
class LauncherBuildOutputTest {
    @Test
    void mavenThroughTheLauncherWritesNoEscapeSequencesIntoAPipe() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(root.resolve("scripts/jdk.sh")));
        assertThat(Files.readString(root.resolve("fathom"))).contains("mvn_plain -q");
        Process which = new ProcessBuilder("bash", "-c", "command -v mvn").start();
        assumeTrue(which.waitFor() == 0, "Maven is not installed");
        Process p = new ProcessBuilder("bash", "-c", ". scripts/jdk.sh && find_jdk25 && mvn_plain -q -o -N validate")
                .directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("escape sequences in: %s", out.replace("\u001b", "ESC")).doesNotContain("\u001b");
    }
}
