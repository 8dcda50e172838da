package org.fathom.inline;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Three network namespaces of the test's own: two ends and a router between them, which forwards
 * and sends every forwarded packet to an NFQUEUE ({@code --queue-bypass}, so traffic passes when
 * nothing listens).
 *
 * <pre>
 *  f-inl-a (10.77.1.2, fd77:1::2) ── f-inl-r (forwards; FORWARD -j NFQUEUE) ── f-inl-b (10.77.2.2, fd77:2::2)
 * </pre>
 *
 * {@link #close} removes all three (and so the veth pairs), also after a failure. Leftovers of a
 * killed run are removed before creating.
 */
public final class InlineLab implements AutoCloseable {
    public static final String A = "f-inl-a";
    public static final String R = "f-inl-r";
    public static final String B = "f-inl-b";
    public static final String A_IP = "10.77.1.2";
    public static final String B_IP = "10.77.2.2";
    public static final String A_IP6 = "fd77:1::2";
    public static final String B_IP6 = "fd77:2::2";
    public static final String B_IF = "f-inl-b0";
    private String iptables = "iptables";
    private String ip6tables = "ip6tables";
    private boolean closed;

    private InlineLab() {}

    /** Skips unless root, with ip and iptables. */
    public static void assumeUsable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "inline tests need root (namespaces, iptables, NFQUEUE)");
        assumeTrue(NfQueue.unavailableReason() == null, "native access: " + NfQueue.unavailableReason());
        assumeTrue(onPath("ip"), "needs iproute2's ip");
        assumeTrue(onPath("iptables"), "needs iptables (Debian package iptables)");
    }

    /** Skips unless every tool is installed. */
    public static void assumeTools(String... tools) {
        for (String t : tools) {
            assumeTrue(onPath(t), "needs " + t);
        }
    }

    public static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    public static InlineLab create() throws IOException, InterruptedException {
        InlineLab lab = new InlineLab();
        lab.removeNamespaces();
        try {
            run("ip", "netns", "add", R);
        } catch (IOException e) {
            assumeTrue(false, "cannot create a network namespace: " + e.getMessage());
        }
        try {
            run("ip", "netns", "add", A);
            run("ip", "netns", "add", B);
            run("ip", "link", "add", "f-inl-ra", "netns", R, "type", "veth", "peer", "name", "f-inl-a0", "netns", A);
            run("ip", "link", "add", "f-inl-rb", "netns", R, "type", "veth", "peer", "name", B_IF, "netns", B);
            lab.side(A, "f-inl-a0", A_IP + "/24", A_IP6 + "/64", "10.77.1.1", "fd77:1::1");
            lab.side(B, B_IF, B_IP + "/24", B_IP6 + "/64", "10.77.2.1", "fd77:2::1");
            run("ip", "netns", "exec", R, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            run("ip", "netns", "exec", R, "sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
            run("ip", "-n", R, "link", "set", "lo", "up");
            run("ip", "-n", R, "addr", "add", "10.77.1.1/24", "dev", "f-inl-ra");
            run("ip", "-n", R, "addr", "add", "10.77.2.1/24", "dev", "f-inl-rb");
            run("ip", "-n", R, "addr", "add", "fd77:1::1/64", "dev", "f-inl-ra", "nodad");
            run("ip", "-n", R, "addr", "add", "fd77:2::1/64", "dev", "f-inl-rb", "nodad");
            run("ip", "-n", R, "link", "set", "f-inl-ra", "up");
            run("ip", "-n", R, "link", "set", "f-inl-rb", "up");
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void side(String ns, String dev, String v4, String v6, String gw4, String gw6) throws IOException, InterruptedException {
        run("ip", "-n", ns, "link", "set", "lo", "up");
        run("ip", "-n", ns, "addr", "add", v4, "dev", dev);
        run("ip", "-n", ns, "addr", "add", v6, "dev", dev, "nodad");
        run("ip", "-n", ns, "link", "set", dev, "up");
        run("ip", "-n", ns, "route", "add", "default", "via", gw4);
        run("ip", "-n", ns, "-6", "route", "add", "default", "via", gw6);
    }

    /**
     * Sends every packet the router forwards (IPv4 and IPv6) to queue {@code n}, with
     * {@code --queue-bypass}. Uses iptables-legacy where the default iptables fails.
     */
    public void queueForwarded(int n) throws IOException, InterruptedException {
        String[] rule = {"-A", "FORWARD", "-j", "NFQUEUE", "--queue-num", Integer.toString(n), "--queue-bypass"};
        try {
            in(R, cat(iptables, rule));
            in(R, cat(ip6tables, rule));
        } catch (IOException e) {
            iptables = "iptables-legacy";
            ip6tables = "ip6tables-legacy";
            in(R, cat(iptables, rule));
            in(R, cat(ip6tables, rule));
        }
    }

    /** The iptables command that works here (iptables, or iptables-legacy). */
    public String iptables() {
        return iptables;
    }

    /** Removes the queue rules: forwarding without the queue. */
    public void unqueue() throws IOException, InterruptedException {
        in(R, iptables, "-F", "FORWARD");
        in(R, ip6tables, "-F", "FORWARD");
    }

    private static String[] cat(String first, String[] rest) {
        String[] c = new String[rest.length + 1];
        c[0] = first;
        System.arraycopy(rest, 0, c, 1, rest.length);
        return c;
    }

    /** Runs a command inside namespace {@code ns} and waits for it (30 s at most); its output. */
    public static String in(String ns, String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        return run(c.toArray(String[]::new));
    }

    /** Starts a command inside namespace {@code ns}, output to {@code out} (null: discarded). */
    public static Process start(String ns, Path out, String... command) throws IOException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true);
        pb.redirectOutput(out == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out.toFile()));
        return pb.start();
    }

    /** Runs a command (30 s at most); its output, or an IOException with it when it fails. */
    public static String run(String... command) throws IOException, InterruptedException {
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

    /** Exit status of a command run inside {@code ns} (30 s at most), output discarded. */
    public static int status(String ns, String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** python3 in B: counts UDP datagrams to {@code port} for {@code seconds}; prints "count bytes first last". */
    public static Process receiver(int port, double seconds, boolean v6, Path out) throws Exception {
        String py = "import socket,time,sys\n"
                + "s=socket.socket(socket.AF_INET" + (v6 ? "6" : "") + ",socket.SOCK_DGRAM)\n"
                + (v6 ? "s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,1)\n" : "")
                + "s.bind(('" + (v6 ? "::" : "0.0.0.0") + "'," + port + "))\n"
                + "s.settimeout(0.2)\n"
                + "n=0;b=0;t0=None;t1=None;end=time.time()+" + seconds + "\n"
                + "print('ready',flush=True)\n"
                + "while time.time()<end:\n"
                + "  try:\n"
                + "    d=s.recv(65535)\n"
                + "  except socket.timeout:\n"
                + "    continue\n"
                + "  now=time.time();n+=1;b+=len(d);t0=t0 or now;t1=now\n"
                + "print('result',n,b,t0 or 0,t1 or 0,flush=True)\n";
        Process p = start(B, out, "python3", "-c", py);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && !(Files.exists(out) && Files.readString(out).contains("ready"))) {
            Thread.sleep(20);
        }
        return p;
    }

    /** python3 in A: {@code count} datagrams of {@code size} bytes to B:port, one every {@code gapMicros}, with a TOS/class byte. */
    public static void send(int port, int count, int size, int gapMicros, boolean v6, int tos) throws Exception {
        String py = "import socket,time\n"
                + "s=socket.socket(socket.AF_INET" + (v6 ? "6" : "") + ",socket.SOCK_DGRAM)\n"
                + (v6 ? "s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_TCLASS," + tos + ")\n"
                      : "s.setsockopt(socket.IPPROTO_IP,socket.IP_TOS," + tos + ")\n")
                + "d=b'x'*" + size + "\n"
                + "t=time.time()\n"
                + "for i in range(" + count + "):\n"
                + "  s.sendto(d,('" + (v6 ? B_IP6 : B_IP) + "'," + port + "))\n"
                + "  t+=" + gapMicros + "/1e6\n"
                + "  w=t-time.time()\n"
                + "  if w>0: time.sleep(w)\n";
        in(A, "python3", "-c", py);
    }

    public static long[] result(Process p, Path out) throws Exception {
        p.waitFor();
        for (String line : Files.readAllLines(out)) {
            if (line.startsWith("result")) {
                String[] f = line.split(" ");
                return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]),
                        (long) (Double.parseDouble(f[3]) * 1e9), (long) (Double.parseDouble(f[4]) * 1e9)};
            }
        }
        throw new AssertionError("receiver printed no result: " + Files.readString(out));
    }

    private static final MethodHandle OPEN, SETNS, CLOSE;

    static {
        Linker l = Linker.nativeLinker();
        var c = l.defaultLookup();
        OPEN = l.downcallHandle(c.findOrThrow("open"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        SETNS = l.downcallHandle(c.findOrThrow("setns"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        CLOSE = l.downcallHandle(c.findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /**
     * Runs {@code body} on the calling thread while that thread is in namespace {@code ns} (setns
     * applies to one thread), then moves the thread back. A socket made inside stays in {@code ns}.
     */
    public static <T> T insideNamespace(String ns, Callable<T> body) throws Exception {
        try (Arena a = Arena.ofConfined()) {
            int home = (int) OPEN.invokeExact(a.allocateFrom("/proc/thread-self/ns/net"), 0);
            int there = (int) OPEN.invokeExact(a.allocateFrom("/var/run/netns/" + ns), 0);
            if (home < 0 || there < 0) {
                throw new IOException("cannot open the namespaces of this thread or of " + ns);
            }
            try {
                if ((int) SETNS.invokeExact(there, 0x40000000) != 0) {
                    throw new IOException("setns " + ns + " failed");
                }
                try {
                    return body.call();
                } finally {
                    if ((int) SETNS.invokeExact(home, 0x40000000) != 0) {
                        throw new IllegalStateException("cannot move the thread back to its namespace");
                    }
                }
            } finally {
                int x = (int) CLOSE.invokeExact(home);
                x = (int) CLOSE.invokeExact(there);
            }
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void removeNamespaces() {
        for (String ns : new String[] {A, R, B}) {
            try {
                Process p = new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                // not there
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeNamespaces();
    }
}
