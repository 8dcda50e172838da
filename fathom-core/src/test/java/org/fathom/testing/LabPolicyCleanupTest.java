package org.fathom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.junit.jupiter.api.Test;

/** Issue 16 item 18: the lab policy's state folders are gone when the test JVM ends. */
class LabPolicyCleanupTest {
    /** Child JVM: three lab policies, each used by a guard (audit log and key written), then prints their folders. */
    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 3; i++) {
            PrivacyPolicy p = Analyze.labPolicy();
            new PrivacyGuard(p, AuditLog.open(p.auditLog()), List.of()).close();
            System.out.println(p.auditLog().getParent());
        }
    }

    @Test
    void labPolicyStateIsDeletedWhenTheJvmEnds() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LabPolicyCleanupTest.class.getName()).redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out.toString()).isZero();
        assertThat(out).hasSize(3);
        for (String folder : out) {
            Path f = Path.of(folder);
            assertThat(f).as("left behind").doesNotExist();
            assertThat(f.getParent()).as("left behind").doesNotExist();
        }
    }
}
