package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    private Path writeLog(int entries) throws Exception {
        Path f = dir.resolve("audit.log");
        AuditLog log = AuditLog.open(f);
        for (int i = 0; i < entries; i++) {
            log.append("event_" + i, Map.of("n", (long) i, "text", "détail " + i, "list", List.of("a", "b")));
        }
        return f;
    }

    @Test
    void anIntactLogVerifiesAndReopensAtItsHead() throws Exception {
        Path f = writeLog(5);
        AuditLog.Verification v = AuditLog.verify(f);
        assertThat(v.ok()).isTrue();
        assertThat(v.entries()).isEqualTo(5);
        AuditLog again = AuditLog.open(f);
        assertThat(again.head()).isEqualTo(v.head());
        again.append("more", Map.of());
        assertThat(AuditLog.verify(f).entries()).isEqualTo(6);
    }

    @Test
    void writersSharingALogKeepOneChain() throws Exception {
        // two runs at once (two instances opened on the same log) append in turn
        Path f = writeLog(2);
        AuditLog a = AuditLog.open(f);
        AuditLog b = AuditLog.open(f);
        for (int i = 0; i < 5; i++) {
            a.append("run_a", Map.of("i", (long) i));
            b.append("run_b", Map.of("i", (long) i, "text", "détail"));
        }
        AuditLog.Verification v = AuditLog.verify(f);
        assertThat(v.ok()).as(String.valueOf(v.problem())).isTrue();
        assertThat(v.entries()).isEqualTo(12);
        assertThat(b.head()).isEqualTo(v.head());
    }

    @Test
    void writersInSeparateProcessesKeepOneChain() throws Exception {
        Path f = writeLog(1);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<Process> ps = new java.util.ArrayList<>();
        for (int p = 0; p < 3; p++) {
            ps.add(new ProcessBuilder(java, "-cp", cp, AuditLogTest.class.getName() + "$Writer", f.toString(), "20")
                    .redirectErrorStream(true).start());
        }
        for (Process p : ps) {
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
        }
        AuditLog.Verification v = AuditLog.verify(f);
        assertThat(v.ok()).as(String.valueOf(v.problem())).isTrue();
        assertThat(v.entries()).isEqualTo(61);
    }

    /** A separate process appending to a log: {@code Writer FILE N}. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            AuditLog log = AuditLog.open(Path.of(args[0]));
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                log.append("writer", Map.of("i", (long) i));
            }
        }
    }

    @Test
    void tamperingWithAnyByteIsDetectedAndTheBrokenEntryNamed() throws Exception {
        Path f = writeLog(4);
        byte[] good = Files.readAllBytes(f);
        int[] lineOf = new int[good.length];
        int line = 1;
        for (int i = 0; i < good.length; i++) {
            lineOf[i] = line;
            if (good[i] == '\n') {
                line++;
            }
        }
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] = (byte) (bad[i] == 'x' ? 'y' : 'x');
            if (bad[i] == '\n' || good[i] == '\n') {
                // breaking a line apart or joining two is detected too
            }
            Files.write(f, bad);
            AuditLog.Verification v = AuditLog.verify(f);
            assertThat(v.ok()).as("byte %d changed", i).isFalse();
            assertThat(v.brokenLine()).as("byte %d", i).isLessThanOrEqualTo(lineOf[i] + 1).isGreaterThanOrEqualTo(Math.min(lineOf[i], 4));
        }
    }

    @Test
    void removingOrReorderingEntriesIsDetected() throws Exception {
        Path f = writeLog(4);
        List<String> lines = Files.readAllLines(f);
        Files.write(f, List.of(lines.get(0), lines.get(2), lines.get(3)));
        assertThat(AuditLog.verify(f).brokenEntry()).isEqualTo(2);
        Files.write(f, List.of(lines.get(1), lines.get(0), lines.get(2), lines.get(3)));
        assertThat(AuditLog.verify(f).brokenEntry()).isEqualTo(1);
    }

    @Test
    void aBrokenLogIsNotAppendedTo() throws Exception {
        Path f = writeLog(2);
        Files.writeString(f, Files.readString(f).replace("event_1", "event_X"));
        assertThatThrownBy(() -> AuditLog.open(f)).hasMessageContaining("broken at entry 2");
    }
}
