package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom live} against {@code fathom analyze} on real traffic: the lab of
 * {@code samples/lab.sh} (curl and a web server, TLS, dig and dnsmasq, sipp calls of every
 * outcome, a spoofed SYN flood) plus a few corpus captures replayed by tcpreplay, captured at
 * once by {@code fathom live} and by tcpdump on the same veth. The records of the live run
 * (flows, calls, alerts) must equal those of {@code analyze} over tcpdump's capture; and a
 * SIGTERM in the middle of the traffic must lose no record. Needs root and the lab's programs
 * (samples/README.md); skips with the reason otherwise.
 */
class LiveEqualsAnalyzeTest {
    /** Small corpus captures of other protocols, Ethernet, frames within the veth's MTU. */
    private static final List<String> REPLAYED = List.of("443-chrome.pcap", "quic_frags_different_dcid.pcapng", "mgcp.pcap",
            "smbv1.pcap", "diameter.pcap", "http.pcapng");
    private static final Path CORPUS = Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap"))
            ? Path.of("../../shared/corpus/ndpi/pcap") : Path.of("../../../shared/corpus/ndpi/pcap");

    @TempDir
    Path dir;

    private LiveCommandTest.Fathom startLive(Lab lab, List<String> options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.srv,
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dfathom.state.dir=" + dir.resolve("state"), "org.fathom.cli.Main", "live", "-i", lab.srvIf));
        cmd.addAll(options);
        Path out = dir.resolve("live.out");
        Path err = dir.resolve("live.err");
        return new LiveCommandTest.Fathom(new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start(),
                out, err);
    }

    /** The options both runs share; the records go to PREFIX-flows/calls/alerts.jsonl. */
    private List<String> options(String prefix, String mediaTimeout) {
        return List.of("--subscriber-networks", "none", "--audit-log", dir.resolve(prefix + "-audit.log").toString(),
                "--media-timeout", mediaTimeout, "--active-timeout", "300",
                "--flows", dir.resolve(prefix + "-flows.jsonl").toString(),
                "--calls", dir.resolve(prefix + "-calls.jsonl").toString(),
                "--alerts", dir.resolve(prefix + "-alerts.jsonl").toString());
    }

    private AnalyzeCommandTest.Run analyze(Path pcap, String mediaTimeout) {
        List<String> args = new ArrayList<>(List.of("analyze", pcap.toString(), "-w", "1"));
        args.addAll(options("analyze", mediaTimeout));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.fathom(args.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isZero();
        return r;
    }

    private List<Map<String, Object>> records(String prefix, String kind) throws IOException {
        String file = kind.equals("flow") ? "flows" : kind + "s";
        return JsonLines.parse(Files.readString(dir.resolve(prefix + "-" + file + ".jsonl"))).stream()
                .filter(m -> kind.equals(m.get("type"))).toList();
    }

    /**
     * The two captures are two packet sockets on one interface: the kernel stamps most frames once
     * for both, but some (e.g. a TCP connection's first segment) get their time from each socket
     * as it takes them, microseconds apart. So times, and the figures measured from them, are
     * compared within a tolerance; everything else (the flow set, labels, counters, outcomes,
     * alerts) must be equal.
     */
    private static final Pattern ISO_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final Map<String, double[]> TIMING = Map.of(   // key: {absolute, relative} tolerance
            "pdd_ms", new double[] {2, 0}, "duration_s", new double[] {0.005, 0}, "max_gap_ms", new double[] {2, 0},
            "detection_delay_ms", new double[] {2, 0}, "peak_pps", new double[] {2, 0.02}, "peak_bps", new double[] {2_000, 0.02});

    private static double[] tolerance(String key) {
        if (TIMING.containsKey(key)) {
            return TIMING.get(key);
        }
        if (key.contains("jitter")) {
            return new double[] {0.5, 0};
        }
        if (key.endsWith("_ms")) {
            return new double[] {1, 0};   // response times and handshake RTTs (docs/EVENTS.md)
        }
        return key.contains("mos") ? new double[] {0.1, 0} : null;
    }

    /** The record with every time and timing figure replaced by "~": what must be equal. */
    @SuppressWarnings("unchecked")
    private static Object strip(Object v, String key) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, strip(x, k)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(x -> strip(x, key)).toList();
        }
        // flow_id is keyed on the first packet's time, which the two sockets may stamp apart
        if ((v instanceof String s && ISO_TIME.matcher(s).matches()) || (v instanceof Number && tolerance(key) != null)
                || key.equals("flow_id")) {
            return "~";
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static void assertClose(Object a, Object b, String key, String where) {
        if (a instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, x) -> assertClose(x, ((Map<String, Object>) b).get(k), k, where));
        } else if (a instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                assertClose(l.get(i), ((List<?>) b).get(i), key, where);
            }
        } else if (a instanceof String s && ISO_TIME.matcher(s).matches()) {
            long micros = java.time.Duration.between(java.time.Instant.parse(s), java.time.Instant.parse((String) b)).abs().toNanos() / 1000;
            assertThat(micros).as("%s: %s %s vs %s", where, key, s, b).isLessThanOrEqualTo(1_000);
        } else if (a instanceof Number x && tolerance(key) != null) {
            double[] t = tolerance(key);
            double y = ((Number) b).doubleValue();
            assertThat(Math.abs(x.doubleValue() - y)).as("%s: %s %s vs %s", where, key, x, y)
                    .isLessThanOrEqualTo(t[0] + t[1] * Math.max(Math.abs(x.doubleValue()), Math.abs(y)));
        }
    }

    private void assertSameRecords() throws IOException {
        for (String kind : List.of("flow", "call", "alert")) {
            List<Map<String, Object>> live = new ArrayList<>(records("live", kind));
            List<Map<String, Object>> analyzed = new ArrayList<>(records("analyze", kind));
            java.util.Comparator<Map<String, Object>> order = java.util.Comparator.comparing(m -> strip(m, "").toString());
            live.sort(order);
            analyzed.sort(order);
            assertThat(live.stream().map(m -> strip(m, "").toString()).toList()).as("%s records of live and analyze", kind)
                    .containsExactlyInAnyOrderElementsOf(analyzed.stream().map(m -> strip(m, "").toString()).toList());
            for (int i = 0; i < live.size(); i++) {
                assertClose(live.get(i), analyzed.get(i), "", kind + " " + strip(live.get(i), ""));
            }
        }
    }

    private static String text(Map<String, Object> m, String key) {
        return String.valueOf(m.get(key));
    }

    @Test
    void liveRecordsEqualThoseOfAnalyzeOverTcpdumpsCaptureOfTheSameTraffic() throws Exception {
        Lab.assumeUsable();
        assumeTrue(Lab.has("tcpreplay"), "needs tcpreplay");
        Path pcap = dir.resolve("tcpdump.pcap");
        Path dumpLog = dir.resolve("tcpdump.log");
        List<Path> replayed = REPLAYED.stream().map(CORPUS::resolve).filter(Files::isRegularFile).toList();
        try (Lab lab = Lab.start()) {
            Process dump = lab.tcpdump(pcap, dumpLog);
            List<String> live = new ArrayList<>(List.of("-w", "2"));
            live.addAll(options("live", "3"));
            LiveCommandTest.Fathom f = startLive(lab, live);
            try {
                f.awaitCapturing();
                if (!replayed.isEmpty()) {   // the corpus is optional: the lab's own traffic still runs
                    lab.replay(replayed);
                }
                lab.traffic();
                Thread.sleep(300);   // the last answers reach both captures
            } finally {
                long[] r = f.terminate();
                Lab.stop(dump, dumpLog);
                assertThat(r[0]).as("exit status; stderr: %s", f.err()).isZero();
            }
            assertThat(f.out()).containsPattern("Captured +[\\d,]+ packets; dropped 0 by the kernel");
        }
        assertThat(Files.readString(dumpLog)).contains("\n0 packets dropped by kernel");
        analyze(pcap, "3");
        assertSameRecords();

        // and the records are the lab's traffic, not an empty match
        List<Map<String, Object>> flows = records("live", "flow");
        assertThat(flows.stream().map(m -> text(m, "protocol")).collect(Collectors.toSet()))
                .contains("HTTP", "TLS", "DNS", "SIP", "RTP");
        if (!replayed.isEmpty()) {
            assertThat(flows.stream().map(m -> text(m, "protocol")).collect(Collectors.toSet())).contains("QUIC", "MGCP", "Diameter");
        }
        Map<String, Long> outcomes = records("live", "call").stream().collect(Collectors.groupingBy(m -> text(m, "outcome"),
                TreeMap::new, Collectors.counting()));
        assertThat(outcomes).isEqualTo(Map.of("completed", 2L, "busy", 1L, "rejected", 1L, "failed", 1L, "dropped", 1L));
        assertThat(records("live", "call")).filteredOn(m -> Boolean.TRUE.equals(m.get("emergency"))).hasSize(1);
        assertThat(records("live", "alert")).singleElement().satisfies(a -> assertThat(text(a, "kind")).isEqualTo("syn_flood"));
    }

    @Test
    void sigtermInTheMiddleOfTheTrafficEndsWithinFiveSecondsAndLosesNoRecord() throws Exception {
        Lab.assumeUsable();
        Path pcap = dir.resolve("tcpdump.pcap");
        Path dumpLog = dir.resolve("tcpdump.log");
        long[] r;
        LiveCommandTest.Fathom f;
        try (Lab lab = Lab.start()) {
            Process dump = lab.tcpdump(pcap, dumpLog);
            List<String> live = new ArrayList<>(List.of("-w", "2"));
            live.addAll(options("live", "30"));
            f = startLive(lab, live);
            Process traffic = null;
            try {
                f.awaitCapturing();
                traffic = lab.startTraffic(dir.resolve("traffic.log"));
                // DNS, web and TLS take about a second, then the calls; the SYN flood starts about
                // 6 s in: the stop comes while calls are set up or media or the flood flows
                Thread.sleep(5_500);
                assertThat(traffic.isAlive()).as("the traffic still runs").isTrue();
            } finally {
                r = f.terminate();
                if (traffic != null) {
                    Lab.stopTraffic(traffic);
                }
                Lab.stop(dump, dumpLog);
            }
        }
        assertThat(r[0]).as("exit status; stderr: %s", f.err()).isZero();
        assertThat(r[1]).as("nanoseconds from SIGTERM to exit").isLessThan(5_000_000_000L);
        String err = f.err();
        Matcher m = Pattern.compile("fathom: stopped by SIGINT/SIGTERM after ([\\d,]+) packets; all records written").matcher(err);
        assertThat(m.find()).as(err).isTrue();
        long seen = Long.parseLong(m.group(1).replace(",", ""));
        assertThat(f.out()).containsPattern("Captured +[\\d,]+ packets; dropped 0 by the kernel");

        // tcpdump went on after fathom stopped: its first SEEN packets are what fathom saw (one
        // interface, one order), and analyze over them must give every record the live run gave
        Path first = dir.resolve("first.pcap");
        long copied = firstPackets(pcap, first, seen);
        assertThat(copied).as("tcpdump's capture holds at least the packets fathom saw; tcpdump: %s", Files.readString(dumpLog))
                .isEqualTo(seen);
        AnalyzeCommandTest.Run a = analyze(first, "30");
        assertSameRecords();

        List<Map<String, Object>> flows = records("live", "flow");
        assertThat(flows).hasSize((int) number(f.out(), "Flows +([\\d,]+)"));
        assertThat(flows.size()).isEqualTo((int) number(a.out(), "Flows +([\\d,]+)"));
        assertThat(flows.stream().mapToLong(x -> ((Number) x.get("packets_c2s")).longValue()
                + ((Number) x.get("packets_s2c")).longValue()).sum()).isEqualTo(number(f.out(), "Decoded +([\\d,]+) IP packets"));
        // the stop came in the middle: some flow or call was still open and was written as such
        List<Map<String, Object>> calls = records("live", "call");
        assertThat(calls).isNotEmpty();
        assertThat(flows.stream().filter(x -> text(x, "end_reason").equals("end_of_input")).count()
                + calls.stream().filter(x -> text(x, "outcome").equals("in_progress")).count()).isPositive();
    }

    private static long number(String summary, String regex) {
        Matcher m = Pattern.compile(regex).matcher(summary);
        assertThat(m.find()).as("%s in %s", regex, summary).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    /** Copies the first {@code n} packets of a classic pcap file (as tcpdump writes it); returns how many there were. */
    static long firstPackets(Path in, Path out, long n) throws IOException {
        try (InputStream is = Files.newInputStream(in); OutputStream os = Files.newOutputStream(out)) {
            byte[] header = is.readNBytes(24);
            assertThat(header).hasSize(24);
            ByteOrder order = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt() == 0xa1b2c3d4
                    ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            os.write(header);
            long copied = 0;
            while (copied < n) {
                byte[] rec = is.readNBytes(16);
                if (rec.length < 16) {
                    break;
                }
                int caplen = ByteBuffer.wrap(rec).order(order).getInt(8);
                byte[] data = is.readNBytes(caplen);
                if (data.length < caplen) {
                    break;
                }
                os.write(rec);
                os.write(data);
                copied++;
            }
            return copied;
        }
    }
}
