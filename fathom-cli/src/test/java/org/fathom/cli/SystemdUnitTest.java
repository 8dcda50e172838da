package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/fathom-live.service passes {@code systemd-analyze verify} without a warning (skipped where
 * systemd-analyze is absent), and holds what the docs promise: restart policy, capabilities
 * instead of root, the config file, SIGHUP on reload.
 */
class SystemdUnitTest {
    static final Path UNIT = Path.of("..", "docs", "fathom-live.service");
    static final Path ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path dir;

    /** What systemd-analyze verify says about a unit: its exit status and all it printed. */
    private String[] verify(String unitText, String name) throws Exception {
        Path copy = dir.resolve(name);
        Files.writeString(copy, unitText);
        Process p = new ProcessBuilder(ANALYZE.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Test
    void theUnitHoldsTheRestartPolicyTheCapabilitiesAndTheConfigFile() throws Exception {
        String unit = Files.readString(UNIT);
        assertThat(unit).contains("\nExecStart=/opt/fathom/fathom live --config /etc/fathom/live.yaml\n")
                .contains("\nExecReload=/bin/kill -HUP $MAINPID\n")
                .contains("\nRestart=on-failure\n")
                .contains("\nAmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN\n")
                .contains("\nCapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN\n")
                .contains("\nDynamicUser=yes\n")
                .contains("\nNoNewPrivileges=yes\n")
                .contains("\nProtectSystem=strict\n")
                .doesNotContain("\nUser=root");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning() throws Exception {
        assumeTrue(Files.isExecutable(ANALYZE), "needs systemd-analyze (Debian package systemd)");
        // the unit names the installed launcher; here the launcher of this checkout stands in for it
        Path launcher = Path.of("..", "fathom").toAbsolutePath().normalize();
        String unit = Files.readString(UNIT).replace("/opt/fathom/fathom", launcher.toString());
        String[] r = verify(unit, "fathom-live.service");
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        assertThat(r[1]).as("systemd-analyze verify says nothing about the unit").doesNotContain("fathom-live.service");

        // and it would say something: a misspelt key and a bad value do not pass silently
        String[] bad = verify(unit.replace("ProtectSystem=strict", "ProtectSytem=strict").replace("Restart=on-failure",
                "Restart=on-fialure"), "fathom-bad.service");
        assertThat(bad[1]).contains("Unknown key 'ProtectSytem'").contains("on-fialure");
    }
}
