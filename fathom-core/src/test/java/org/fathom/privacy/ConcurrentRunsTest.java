package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 12: many runs started at once on one audit log and one (not yet existing) key
 * file, as threads of one process and as separate processes. Every round starts from a fresh log
 * and key; after it the chain must verify, hold every run's entries, and every run must have used
 * the one key that was created.
 */
class ConcurrentRunsTest {
    @TempDir
    Path dir;

    /** One run as the engine makes it: open the log, open the guard (key, run_started), close it (run_finished). */
    static void run(Path log, Path key) throws IOException {
        PrivacyPolicy p = PrivacyPolicy.defaults().withAuditLog(log).withKeyFile(key);
        new PrivacyGuard(p, AuditLog.open(log), List.of()).close();
    }

    /** Entry point of the child processes: RUNS runs, one after the other, on the log and key given. */
    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        Path key = Path.of(args[1]);
        int runs = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                for (int i = 0; i < runs; i++) {
                    run(log, key);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
    }

    @Test
    void manyThreadsOnAFreshLogKeepOneChainAndOneKey() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path log = dir.resolve("threads-" + round + "/audit.log");
            Path key = log.resolveSibling("pseudonym.key");
            int threads = 8;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 3; i++) {
                        run(log, key);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertOneChain(log, key, threads * 3);
        }
    }

    @Test
    void manyProcessesOnAFreshLogKeepOneChainAndOneKey() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        for (int round = 0; round < 4; round++) {
            Path log = dir.resolve("procs-" + round + "/audit.log");
            Path key = log.resolveSibling("pseudonym.key");
            int procs = 5;
            int threads = 2;
            int runs = 4;
            List<Process> ps = new ArrayList<>();
            List<Path> errs = new ArrayList<>();
            for (int i = 0; i < procs; i++) {
                Path err = dir.resolve("err-" + round + "-" + i);
                errs.add(err);
                ps.add(new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cp,
                        ConcurrentRunsTest.class.getName(), log.toString(), key.toString(), String.valueOf(runs), String.valueOf(threads))
                        .redirectErrorStream(true).redirectOutput(err.toFile()).start());
            }
            for (int i = 0; i < procs; i++) {
                Process p = ps.get(i);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(Files.readString(errs.get(i))).isZero();
            }
            assertOneChain(log, key, procs * threads * runs);
        }
    }

    private static void assertOneChain(Path log, Path key, int runs) throws IOException {
        AuditLog.Verification v = AuditLog.verify(log);
        assertThat(v.ok()).as("%s: %s at entry %d", log, v.problem(), v.brokenEntry()).isTrue();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(count(text, "\"run_started\"")).isEqualTo(runs);
        assertThat(count(text, "\"run_finished\"")).isEqualTo(runs);
        assertThat(count(text, "\"pseudonym_key_created\"")).isEqualTo(1);
        assertThat(v.entries()).isEqualTo(2L * runs + 1);
        assertThat(Files.readString(key).strip()).matches("[0-9a-f]{64}");
        try (var files = Files.list(key.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList())
                    .as("temporary key files left behind").isEmpty();
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
