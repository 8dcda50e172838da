package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fathom.inline.InlineLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom inline} in the forwarding path of a router namespace ({@link InlineLab}: iptables
 * FORWARD -j NFQUEUE --queue-bypass), with real clients and servers in the end namespaces. Skips
 * unless root with ip and iptables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InlineCommandTest {
    static final int QUEUE = 5;
    InlineLab lab;
    @TempDir
    Path dir;

    @BeforeAll
    void lab() throws Exception {
        InlineLab.assumeUsable();
        InlineLab.assumeTools("ping");
        lab = InlineLab.create();
        try {
            lab.queueForwarded(QUEUE);
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Every fathom started, so none outlives a failed test. */
    final List<Fathom> running = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void stopAll() throws Exception {
        for (Fathom f : running) {
            if (f.process.isAlive()) {
                f.kill9();
            }
        }
        running.clear();
    }

    @AfterAll
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    /** fathom inline running in the router namespace. */
    static final class Fathom {
        final Process process;
        final Path out;
        final Path err;

        Fathom(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        String err() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return "";
            }
        }

        String out() throws IOException {
            return Files.readString(out);
        }

        void awaitAnswering() throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!err().contains("fathom: answering ")) {
                assertThat(process.isAlive()).as("fathom exited early: %s", err()).isTrue();
                assertThat(System.nanoTime()).as("fathom did not start: %s", err()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        /** SIGTERM; the exit status. */
        int terminate() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                return -1;
            }
            return process.exitValue();
        }

        void kill9() throws Exception {
            new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    Fathom start(String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", InlineLab.R,
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dfathom.state.dir=" + dir.resolve("state"), "org.fathom.cli.Main", "inline", "--queue", Integer.toString(QUEUE)));
        cmd.addAll(List.of(options));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Fathom f = new Fathom(p, out, err);
        running.add(f);
        return f;
    }

    /** ping from A to B: the number of replies. */
    static int ping(int count, String interval) throws Exception {
        String out;
        try {
            out = InlineLab.in(InlineLab.A, "ping", "-n", "-q", "-c", Integer.toString(count), "-i", interval, "-W", "1", InlineLab.B_IP);
        } catch (IOException e) {
            out = e.getMessage();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) received").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Test
    void sigtermAnswersEveryQueuedPacketAndKillMinusNineWithFailOpenLeavesTrafficFlowing() throws Exception {
        Path flows = dir.resolve("flows.jsonl");
        Fathom f = start("--fail-open", "-w", "1", "--flows", flows.toString());
        f.awaitAnswering();
        assertThat(ping(5, "0.1")).isEqualTo(5);
        // a steady stream while fathom stops: no packet may be left without a verdict
        Process stream = InlineLab.start(InlineLab.A, dir.resolve("stream.txt"), "ping", "-n", "-q", "-c", "400", "-i", "0.005",
                "-W", "1", InlineLab.B_IP);
        Thread.sleep(800);
        assertThat(f.terminate()).as(f.err()).isZero();
        assertThat(stream.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String streamed = Files.readString(dir.resolve("stream.txt"));
        assertThat(streamed).as("a stream through a stopping fathom").contains("400 received");
        assertThat(f.out()).contains("Queue      nfqueue " + QUEUE + ": ").contains(" packets answered: ");
        assertThat(f.err()).contains("stopped by SIGTERM".replace("SIGTERM", "SIGINT/SIGTERM"));
        assertThat(Files.readString(flows)).contains("\"l4\":\"ICMP\"");

        // kill -9: the kernel unbinds the queue and, with --queue-bypass, forwards without it
        Fathom g = start("--fail-open", "-w", "2");
        g.awaitAnswering();
        assertThat(ping(3, "0.1")).isEqualTo(3);
        g.kill9();
        assertThat(ping(5, "0.1")).as("traffic after kill -9").isEqualTo(5);
    }

    @Test
    void aQueueAlreadyBoundIsOneLineAndStatusTwo() throws Exception {
        Fathom f = start();
        try {
            f.awaitAnswering();
            Fathom g = start("-q");
            assertThat(g.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(g.process.exitValue()).isEqualTo(2);
            assertThat(g.err().lines().toList()).singleElement().asString()
                    .isEqualTo("fathom: queue " + QUEUE + " is already bound by another program (one listener per queue)");
        } finally {
            assertThat(f.terminate()).isZero();
        }
    }
}
