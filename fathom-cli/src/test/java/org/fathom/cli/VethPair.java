package org.fathom.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.fathom.capture.libpcap.LiveSource;

/**
 * Two network namespaces of the test's own, joined by a veth pair, with private addresses that
 * exist only inside them and no route out: {@link #capture} side {@code 10.R.S.1}, {@link #peer} side
 * {@code 10.R.S.2}. IPv6 is off on both ends so that the link carries only what a test sends.
 * Names are unique per instance; {@link #close} removes both namespaces (and so the pair).
 */
final class VethPair implements AutoCloseable {
    final String capture;
    final String peer;
    final String captureIf;
    final String peerIf;
    final String captureAddr;
    final String peerAddr;
    private boolean closed;

    private VethPair() {
        int r = ThreadLocalRandom.current().nextInt(1 << 20);
        String tag = Long.toString(ProcessHandle.current().pid() % 10000) + "x" + Integer.toString(r, 36);
        capture = "fthc" + tag;
        peer = "fthp" + tag;
        captureIf = ("fvc" + tag).substring(0, Math.min(15, 3 + tag.length()));
        peerIf = ("fvp" + tag).substring(0, Math.min(15, 3 + tag.length()));
        int b = 1 + (r & 0x7f);
        int c = 1 + ((r >> 7) & 0x7f);
        captureAddr = "10." + (200 + (b % 50)) + "." + c + ".1";
        peerAddr = "10." + (200 + (b % 50)) + "." + c + ".2";
    }

    /** Whether namespaces and live capture can be used here; the reason to skip otherwise. */
    static void assumeUsable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "live capture tests need root (namespaces, veth, capture)");
        assumeTrue(LiveSource.unavailableReason() == null, "libpcap is not usable here: " + LiveSource.unavailableReason());
        assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/ip"))
                || java.nio.file.Files.isExecutable(java.nio.file.Path.of("/sbin/ip")), "needs iproute2's ip");
    }

    static VethPair create() throws IOException, InterruptedException {
        VethPair v = new VethPair();
        try {
            v.ip("netns", "add", v.capture);
        } catch (IOException e) {
            // root without CAP_SYS_ADMIN (some containers): nothing to test with
            assumeTrue(false, "cannot create a network namespace: " + e.getMessage());
        }
        try {
            v.ip("netns", "add", v.peer);
            v.ip("link", "add", v.captureIf, "netns", v.capture, "type", "veth", "peer", "name", v.peerIf, "netns", v.peer);
            for (String[] side : new String[][] {{v.capture, v.captureIf, v.captureAddr}, {v.peer, v.peerIf, v.peerAddr}}) {
                v.run("ip", "netns", "exec", side[0], "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
                v.run("ip", "netns", "exec", side[0], "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
                v.ip("-n", side[0], "addr", "add", side[2] + "/24", "dev", side[1]);
                v.ip("-n", side[0], "link", "set", side[1], "up");
                v.ip("-n", side[0], "link", "set", "lo", "up");
            }
            return v;
        } catch (IOException | InterruptedException | RuntimeException e) {
            v.close();
            throw e;
        }
    }

    /** Runs a command inside the peer namespace (where the traffic comes from) and waits for it. */
    String inPeer(String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", peer));
        c.addAll(List.of(command));
        return run(c.toArray(String[]::new));
    }

    /** Runs a command inside the capture namespace and waits for it. */
    String inCapture(String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", capture));
        c.addAll(List.of(command));
        return run(c.toArray(String[]::new));
    }

    /** Starts a command inside the capture namespace. */
    Process startInCapture(List<String> command, java.nio.file.Path out, java.nio.file.Path err) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", capture));
        c.addAll(command);
        return new ProcessBuilder(c).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip"));
        c.addAll(List.of(args));
        run(c.toArray(String[]::new));
    }

    private String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (String ns : new String[] {capture, peer}) {
            try {
                Process p = new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                // best effort: the namespace may not have been made
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
