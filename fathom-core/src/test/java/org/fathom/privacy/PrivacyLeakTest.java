package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fathom.capture.CaptureException;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.Packet;
import org.fathom.decode.DecodedPacket;
import org.fathom.decode.PacketDecoder;
import org.fathom.net.Addresses;
import org.fathom.output.JsonLinesFlowSink;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.CaptureAnalyzer;
import org.fathom.pipeline.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every corpus capture in the default (pseudonymous) mode and searches every output byte
 * for what must not appear in clear: subscriber addresses seen in the packets, SIP and e-mail user
 * parts and HTTP URL paths (the latter found independently with tshark, when installed).
 */
class PrivacyLeakTest {
    static final Path CORPUS = Path.of("../../shared/corpus/ndpi/pcap");

    @TempDir
    Path dir;

    @Test
    void noSubscriberIdentifierLeavesInClear() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "nDPI corpus not present");
        PrivacyPolicy policy = PrivacyPolicy.defaults().withAuditLog(dir.resolve("audit.log")).withKeyFile(dir.resolve("key"));
        List<Path> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.sorted().toList();
        }
        boolean tshark = hasTshark();
        int checkedAddresses = 0;
        int checkedOther = 0;
        List<String> leaks = new ArrayList<>();
        for (Path capture : files) {
            Seen seen;
            try {
                seen = subscribersIn(capture, policy.subscribers());
            } catch (CaptureException e) {
                continue;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Set<String> pseudonyms = new HashSet<>();
            try (PrivacyGuard g = new PrivacyGuard(policy, AuditLog.open(policy.auditLog()),
                    List.of(new JsonLinesFlowSink(bytes, true)))) {
                new CaptureAnalyzer(AnalysisOptions.defaults()).analyze(capture, 1, g, new AnalysisSummary(), Progress.NONE);
            }
            Pseudonymizer p = new Pseudonymizer(java.util.HexFormat.of().parseHex(Files.readString(policy.keyFile()).strip()), policy.keyRotation());
            for (long[] a : seen.addresses) {
                for (long e : seen.epochs) {
                    long[] x = p.address(p.epoch(e), a[0], a[1]);
                    pseudonyms.add(Addresses.format(x[0], x[1]));
                }
            }
            String out = bytes.toString(StandardCharsets.UTF_8);
            for (long[] a : seen.addresses) {
                String text = Addresses.format(a[0], a[1]);
                checkedAddresses++;
                if (!pseudonyms.contains(text) && appears(out, text)) {
                    leaks.add(capture.getFileName() + ": address " + text);
                }
            }
            if (tshark && seen.interesting) {
                for (String secret : personalStrings(capture)) {
                    checkedOther++;
                    if (out.contains(secret)) {
                        leaks.add(capture.getFileName() + ": " + secret);
                    }
                }
            }
        }
        assertThat(leaks).as("identifiers found in clear in the output").isEmpty();
        assertThat(checkedAddresses).isGreaterThan(100);
        if (tshark) {
            assertThat(checkedOther).isGreaterThan(10);
        }
    }

    /** Whether an address literal appears as a whole token (not inside a longer number). */
    static boolean appears(String out, String text) {
        return Pattern.compile("(?<![0-9A-Fa-f.:])" + Pattern.quote(text) + "(?![0-9A-Fa-f:]|\\.[0-9])").matcher(out).find();
    }

    record Seen(List<long[]> addresses, Set<Long> epochs, boolean interesting) { }

    static Seen subscribersIn(Path capture, SubscriberNetworks subs) throws CaptureException {
        Set<String> keys = new HashSet<>();
        List<long[]> found = new ArrayList<>();
        Set<Long> times = new HashSet<>();
        boolean interesting = false;
        Packet packet = new Packet();
        DecodedPacket d = new DecodedPacket();
        PacketDecoder dec = new PacketDecoder();
        try (CaptureReader r = CaptureFiles.open(capture)) {
            while (r.next(packet)) {
                if (dec.decode(packet, d) != PacketDecoder.OK) {
                    continue;
                }
                times.add(d.timestampNanos);
                for (long[] a : new long[][] {{d.srcHi, d.srcLo}, {d.dstHi, d.dstLo}}) {
                    if (subs.contains(a[0], a[1]) && keys.add(a[0] + ":" + a[1])) {
                        found.add(a);
                    }
                }
                if (!interesting && d.payloadLength >= 8) {
                    // only captures with SIP, HTTP requests or SMTP envelopes are worth a tshark run
                    String head = new String(d.buf, d.payloadOffset, Math.min(d.payloadLength, 64), StandardCharsets.ISO_8859_1);
                    interesting = head.contains("SIP/2.0") || head.startsWith("GET /") || head.startsWith("POST /")
                            || head.startsWith("MAIL FROM") || head.startsWith("RCPT TO");
                }
            }
        }
        return new Seen(found, times, interesting);
    }

    static boolean hasTshark() {
        try {
            Process p = new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** SIP user parts, e-mail user parts and HTTP paths, as tshark (an independent dissector) sees them. */
    static Set<String> personalStrings(Path capture) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "-r", capture.toString(), "-T", "fields", "-E", "separator=\t",
                "-Y", "sip || http.request || smtp.req",
                "-e", "sip.from.user", "-e", "sip.to.user", "-e", "http.request.uri", "-e", "smtp.req.parameter")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Set<String> out = new HashSet<>();
        for (String line : text.split("\n")) {
            String[] f = line.split("\t", -1);
            for (int i = 0; i < f.length; i++) {
                for (String v : f[i].split(",")) {
                    v = v.strip();
                    if (i < 2 && v.length() >= 5 && !v.chars().allMatch(Character::isDigit) || i < 2 && v.length() >= 6) {
                        out.add("sip:" + v + "@"); // the user part as it would stand in a URI
                    } else if (i == 2 && v.length() >= 8 && v.startsWith("/")) {
                        int q = v.indexOf('?');
                        String path = q >= 0 ? v.substring(0, q) : v;
                        if (path.length() >= 8) {
                            out.add(path);
                        }
                    } else if (i == 3) {
                        var m = Pattern.compile("<([^@<>]{3,})@").matcher(v);
                        if (m.find()) {
                            out.add(m.group(1) + "@");
                        }
                    }
                }
            }
        }
        return out;
    }
}
