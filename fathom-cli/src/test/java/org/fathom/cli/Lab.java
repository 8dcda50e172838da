package org.fathom.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The lab of {@code samples/lab.sh} (the one that recorded the bundled sample) in namespaces of
 * the test's own: {@code f-sample-TAG-srv} with real servers (http.server, openssl s_server,
 * dnsmasq, sipp UAS) and {@code f-sample-TAG-cli} with the clients, joined by the veth pair
 * {@link #srvIf}/{@link #cliIf}, no route out. {@link #close} stops what the script started (by
 * PID) and deletes both namespaces, also when a test fails.
 */
final class Lab implements AutoCloseable {
    static final Path SCRIPT = Path.of("..", "samples", "lab.sh").toAbsolutePath().normalize();
    private static final List<String> TOOLS = List.of("tcpdump", "python3", "curl", "openssl", "dnsmasq", "dig", "sipp", "hping3");

    final String tag;
    final String srv;
    final String cli;
    final String srvIf;
    final String cliIf;
    private boolean closed;

    private Lab(String tag, String[] names) {
        this.tag = tag;
        srv = names[0];
        cli = names[1];
        srvIf = names[2];
        cliIf = names[3];
    }

    static boolean has(String tool) {
        for (String d : new String[] {"/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Root, libpcap, iproute2 and every program the lab runs; the reason to skip otherwise. */
    static void assumeUsable() {
        VethPair.assumeUsable();
        for (String tool : TOOLS) {
            assumeTrue(has(tool), "the lab needs " + tool + " (see samples/README.md)");
        }
    }

    /** Makes the namespaces and starts the servers. */
    static Lab start() throws IOException, InterruptedException {
        // 'l' and 4 letters or digits: unique enough between test runs of one machine
        StringBuilder t = new StringBuilder("l");
        for (int i = 0; i < 4; i++) {
            t.append(Character.forDigit(ThreadLocalRandom.current().nextInt(36), 36));
        }
        String tag = t.toString();
        Lab lab = new Lab(tag, run(List.of(SCRIPT.toString(), "names", tag)).strip().split(" "));
        try {
            run(List.of(SCRIPT.toString(), "up", tag));
        } catch (IOException e) {
            lab.close();
            assumeTrue(false, "cannot make the lab's namespaces: " + e.getMessage());
        }
        try {
            run(List.of(SCRIPT.toString(), "servers", tag));
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** tcpdump on the server side of the veth, writing PCAP; returns once it listens. */
    Process tcpdump(Path pcap, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", srv, "tcpdump", "-i", srvIf, "-s", "0", "-B", "32768", "-U", "--immediate-mode", "-n", "-w",
                pcap.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.readString(log).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("tcpdump did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return p;
    }

    /**
     * Stops tcpdump as Ctrl-C does and returns its statistics. It runs in immediate mode and is
     * given half a second first: what the kernel holds for it when the signal comes is not written.
     */
    static String stop(Process tcpdump, Path log) throws IOException, InterruptedException {
        Thread.sleep(500);
        new ProcessBuilder("kill", "-INT", Long.toString(tcpdump.pid())).start().waitFor(10, TimeUnit.SECONDS);
        if (!tcpdump.waitFor(10, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
            throw new IOException("tcpdump did not stop");
        }
        return Files.readString(log);
    }

    /** The lab's traffic (lab.sh traffic TAG quick: about 20 s), waiting for it to end. */
    void traffic() throws IOException, InterruptedException {
        run(List.of(SCRIPT.toString(), "traffic", tag, "quick"));
    }

    /** The lab's traffic in a process group of its own (setsid), not waited for; stop it with {@link #stopTraffic}. */
    Process startTraffic(Path log) throws IOException {
        return new ProcessBuilder("setsid", SCRIPT.toString(), "traffic", tag, "quick").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /** Stops traffic started by {@link #startTraffic} and every client it started (its process group). */
    static void stopTraffic(Process traffic) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "--", "-" + traffic.pid()).start().waitFor(10, TimeUnit.SECONDS);
        traffic.waitFor(10, TimeUnit.SECONDS);
    }

    /** Replays captures from the client side into the veth (tcpreplay, 20 Mbit/s). */
    void replay(List<Path> captures) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", cli, "tcpreplay", "-q", "-i", cliIf, "--mbps=20"));
        captures.forEach(p -> c.add(p.toString()));
        run(c);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
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
        try {
            run(List.of(SCRIPT.toString(), "down", tag));
        } catch (IOException e) {
            System.err.println("lab.sh down " + tag + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
