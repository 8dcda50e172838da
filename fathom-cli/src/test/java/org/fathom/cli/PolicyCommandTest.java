package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --policy} and {@code --verdicts} end to end: bad files, the dry run on corpus captures, the verdict log. */
class PolicyCommandTest {
    static final Path CORPUS = Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap"))
            ? Path.of("../../shared/corpus/ndpi/pcap") : Path.of("../../../shared/corpus/ndpi/pcap");
    static final Path SPAM = Path.of("../fathom-core/src/test/resources/captures/policy/spam-run.pcap");
    static final Path SAMPLE = Path.of("..", "samples", "http-loopback.pcap");

    @TempDir
    Path dir;

    AnalyzeCommandTest.Run fathom(String... args) {
        List<String> l = new ArrayList<>(List.of(args));
        l.addAll(List.of("--audit-log", dir.resolve("audit.log").toString(), "--key-file", dir.resolve("key").toString()));
        return AnalyzeCommandTest.fathom(l.toArray(String[]::new));
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "garbage: [unclosed\\n  - x|2|not valid YAML (while parsing a flow sequence; expected ',' or ']'",
            "just words\\n|1|expected a mapping with 'policy:'",
            "policy:\\n  rules:\\n    - name: a\\n      match: { src_nett: 10.0.0.0/8 }\\n      action: block\\n|4|unknown match key 'src_nett' (did you mean 'src_net'?)",
            "policy:\\n  rules:\\n    - name: a\\n      match: { src_net: 10.0.0.0/40 }\\n      action: block\\n|4|'10.0.0.0/40' is not an IP address or address block",
            "policy:\\n  rules:\\n    - name: a\\n      match: {}\\n      action: drop\\n|5|unknown action 'drop'",
            "policy:\\n  rules:\\n    - name: a\\n      match: { alert: spam_run }\\n      action: block\\n|3|needs 'for:'",
    })
    void aBadPolicyIsOneLineWithFileAndLineAndExitTwo(String yaml, int line, String problem) throws IOException {
        Path p = write("bad.yaml", yaml.replace("\\n", "\n"));
        AnalyzeCommandTest.Run r = fathom("analyze", SAMPLE.toString(), "--policy", p.toString(), "--flows",
                dir.resolve("flows.jsonl").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("fathom: " + p + ":" + line + ": ").contains(problem).doesNotContain("Exception");
        assertThat(dir.resolve("flows.jsonl")).as("nothing ran").doesNotExist();
    }

    @Test
    void optionsThatNeedAPolicyOrAreOutOfRange() throws IOException {
        AnalyzeCommandTest.Run r = fathom("analyze", SAMPLE.toString(), "--verdicts", dir.resolve("v.jsonl").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--verdicts needs --policy FILE");
        Path p = write("ok.yaml", "policy:\n  default: allow\n");
        r = fathom("analyze", SAMPLE.toString(), "--policy", p.toString(), "--max-verdicts", "0");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--max-verdicts must be between");
        r = fathom("analyze", SAMPLE.toString(), "--policy", dir.resolve("missing.yaml").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("fathom: " + dir.resolve("missing.yaml") + ": no such file");
        assertThat(AnalyzeCommandTest.fathom("analyze", "--help").out()).contains("--policy=FILE").contains("--verdicts=FILE");
    }

    static final String CORPUS_POLICY = """
            policy:
              name: corpus
              rules:
                - name: block-bittorrent
                  match: { application: BitTorrent }
                  action: block
                - name: video
                  match: { category: [Video, Streaming, Media] }
                  action: rate_limit
                  rate: 2mbit
                - name: old-tls
                  match: { risk: obsolete_tls_version }
                  action: report
                - name: google-hosts
                  match: { host: google.com }
                  action: mark
                  dscp: AF21
                - name: dns
                  match: { port: 53, l4: UDP }
                  action: mark
                  dscp: CS2
                - name: web-by-port
                  match: { protocol: [HTTP, TLS], confidence: port }
                  action: report
                - name: icmp
                  match: { l4: [ICMP, ICMPV6] }
                  action: allow
              default: allow
            """;

    /** The corpus policy's rules, applied here to a JSON flow record: independent of the engine's matcher. */
    static String expectedRule(Map<String, Object> r) {
        String app = String.valueOf(r.get("application")).toLowerCase(Locale.ROOT);
        String cat = String.valueOf(r.get("category")).toLowerCase(Locale.ROOT);
        Object risks = r.getOrDefault("risks", List.of());
        if (app.equals("bittorrent")) {
            return "block-bittorrent";
        }
        if (List.of("video", "streaming", "media").contains(cat)) {
            return "video";
        }
        if (((List<?>) risks).contains("obsolete_tls_version")) {
            return "old-tls";
        }
        for (String k : List.of("http.host", "tls.sni", "quic.sni", "dns.query", "rtsp.host", "git.host", "socks.host", "fastcgi.host")) {
            if (r.get(k) instanceof String s && !s.isEmpty()) {
                String h = s.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
                if (h.equals("google.com") || h.endsWith(".google.com")) {
                    return "google-hosts";
                }
            }
        }
        if (((Number) r.get("dst_port")).intValue() == 53 && "UDP".equals(r.get("l4"))) {
            return "dns";
        }
        if (List.of("HTTP", "TLS").contains(r.get("protocol")) && "port".equalsIgnoreCase(String.valueOf(r.get("confidence")))) {
            return "web-by-port";
        }
        if (List.of("ICMP", "ICMPV6").contains(r.get("l4"))) {
            return "icmp";
        }
        return "default";
    }

    /** The summary's policy table: rule -> flows. */
    static Map<String, Long> summaryFlows(String out) {
        Map<String, Long> m = new TreeMap<>();
        boolean in = false;
        for (String line : out.lines().toList()) {
            if (line.startsWith("Rule ")) {
                in = true;
                continue;
            }
            if (in && line.startsWith("Before verdict")) {
                break;
            }
            if (in) {
                String[] f = line.trim().split("\\s+");
                m.put(f[0].equals("(default)") ? "default" : f[0], Long.parseLong(f[2].replace(",", "")));
            }
        }
        return m;
    }

    @Test
    void theDryRunsVerdictsAreWhatTheRulesSelectInTheFlowRecords() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "the nDPI corpus is not here");
        Path policy = write("corpus.yaml", CORPUS_POLICY);
        Path flows = dir.resolve("flows.jsonl");
        AnalyzeCommandTest.Run r = fathom("analyze", CORPUS.toString(), "--policy", policy.toString(), "--flows", flows.toString(), "-w", "2");
        assertThat(r.status()).isIn(0, 1);   // the corpus holds damaged captures on purpose
        List<Map<String, Object>> records = JsonLines.flows(Files.readString(flows));
        assertThat(records).hasSizeGreaterThan(5000);
        Map<String, Long> expected = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Map<String, Object> f : records) {
            String e = expectedRule(f);
            expected.merge(e, 1L, Long::sum);
            if (!e.equals(f.get("policy.rule"))) {
                wrong.add(e + " != " + f.get("policy.rule") + ": " + f);
            }
        }
        assertThat(wrong).as("flows whose record says another rule than its fields select").isEmpty();
        assertThat(expected.keySet()).as("every rule selects some corpus flows")
                .contains("block-bittorrent", "video", "old-tls", "google-hosts", "dns", "web-by-port", "icmp", "default");
        assertThat(summaryFlows(r.out())).isEqualTo(expected);
        // the audit log names the policy in force: its file's SHA-256 and rule count
        String audit = Files.readString(dir.resolve("audit.log"));
        assertThat(audit).contains("policy_in_force").contains(sha256(policy)).contains("\"rules\":7");
    }

    @Test
    void oneAndTwoWorkersGiveTheSameVerdicts() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "the nDPI corpus is not here");
        Path policy = write("corpus.yaml", CORPUS_POLICY);
        List<String> names = List.of("bittorrent.pcap", "youtubeupload.pcap", "tls_verylong_certificate.pcap", "quic.pcap",
                "dns_long_domainname.pcap", "google_ssl.pcap", "FAX-Call-t38-CA-TDM-SIP-FB-1.pcap", "skype.pcap", "netflix.pcap",
                "http_on_sip_port.pcap", "smtp-starttls.pcap", "ssl-cert-name-mismatch.pcap");
        List<String> inputs = new ArrayList<>();
        for (String n : names) {
            if (Files.exists(CORPUS.resolve(n))) {
                inputs.add(CORPUS.resolve(n).toString());
            }
        }
        assumeTrue(inputs.size() >= 6, "too few of the corpus captures are here");
        Map<Integer, String> summaries = new TreeMap<>();
        Map<Integer, List<String>> verdicts = new TreeMap<>();
        for (int w : new int[] {1, 2}) {
            List<String> args = new ArrayList<>(List.of("analyze"));
            args.addAll(inputs);
            args.addAll(List.of("--policy", policy.toString(), "--flows", dir.resolve("f" + w).toString(),
                    "--verdicts", dir.resolve("v" + w).toString(), "-w", Integer.toString(w)));
            AnalyzeCommandTest.Run r = fathom(args.toArray(String[]::new));
            assertThat(r.status()).isZero();
            summaries.put(w, r.out().substring(r.out().indexOf("Rule ")));
            verdicts.put(w, Files.readAllLines(dir.resolve("v" + w)).stream().sorted().toList());
        }
        assertThat(summaries.get(2)).isEqualTo(summaries.get(1));
        assertThat(verdicts.get(2)).isEqualTo(verdicts.get(1)).hasSizeGreaterThan(10);
    }

    @Test
    void theVerdictLogHasOneLinePerChangeWithSubscribersPseudonymised() throws IOException {
        Path policy = write("spam.yaml", "policy:\n  rules:\n    - name: block-spam-runs\n      match: { alert: spam_run }\n"
                + "      action: block\n      for: 5s\n");
        Path verdicts = dir.resolve("verdicts.jsonl");
        Path flows = dir.resolve("flows.jsonl");
        AnalyzeCommandTest.Run r = fathom("analyze", SPAM.toString(), "--policy", policy.toString(), "--verdicts",
                verdicts.toString(), "--flows", flows.toString(), "--subscriber-networks", "127.0.0.0/8");
        assertThat(r.status()).isZero();
        List<Map<String, Object>> v = JsonLines.parse(Files.readString(verdicts));
        assertThat(v.getFirst().get("type")).isEqualTo("privacy");
        List<Map<String, Object>> changes = v.subList(1, v.size());
        assertThat(changes).extracting(m -> m.get("scope") + " " + m.get("rule") + " " + m.get("cause"))
                .containsExactly("address block-spam-runs alert:spam_run", "flow block-spam-runs alert", "flow block-spam-runs alert");
        String blocked = (String) changes.getFirst().get("ip");
        assertThat(blocked).isNotEqualTo("127.0.0.66");
        assertThat(Files.readString(verdicts)).doesNotContain("127.0.0.66").doesNotContain("\"127.0.0.1\"");
        // the flows say the same, under the same pseudonym
        List<Map<String, Object>> f = JsonLines.flows(Files.readString(flows));
        assertThat(f.stream().filter(m -> "block-spam-runs".equals(m.get("policy.rule"))).map(m -> m.get("src_ip")).distinct().toList())
                .containsExactly(blocked);
        assertThat(r.out()).contains("block-spam-runs              block                2");
    }

    @Test
    void anEmergencyCallOnACorpusCaptureIsPrioritisedWithItsMedia() throws IOException {
        Path fax = CORPUS.resolve("FAX-Call-t38-CA-TDM-SIP-FB-1.pcap");
        assumeTrue(Files.exists(fax), "the nDPI corpus is not here");
        Path policy = write("sos.yaml", "policy:\n  rules:\n    - name: emergency-calls-first\n      match: { emergency_call: true }\n"
                + "      action: prioritise\n");
        // the capture's callee, 061963177, declared an emergency number: "what if this were 112?"
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (String numbers : new String[] {"112", "112,061963177"}) {
            Path calls = dir.resolve("calls-" + numbers);
            Path flows = dir.resolve("flows-" + numbers);
            Path verdicts = dir.resolve("verdicts-" + numbers);
            AnalyzeCommandTest.Run r = fathom("analyze", fax.toString(), "--policy", policy.toString(), "--calls", calls.toString(),
                    "--flows", flows.toString(), "--verdicts", verdicts.toString(), "--emergency-numbers", numbers);
            assertThat(r.status()).isZero();
            out.put(numbers + " calls", JsonLines.parse(Files.readString(calls)).stream().filter(m -> "call".equals(m.get("type"))).toList());
            out.put(numbers + " flows", JsonLines.flows(Files.readString(flows)));
            out.put(numbers + " verdicts", JsonLines.parse(Files.readString(verdicts)).stream().filter(m -> "verdict".equals(m.get("type"))).toList());
        }
        assertThat(out.get("112 calls")).isNotEmpty().allSatisfy(c -> assertThat(c.get("policy.rule")).isEqualTo("default"));
        assertThat(out.get("112 flows")).allSatisfy(c -> assertThat(c.get("policy.rule")).isEqualTo("default"));
        assertThat(out.get("112 verdicts")).isEmpty();
        List<Map<String, Object>> sos = out.get("112,061963177 calls");
        assertThat(sos).isNotEmpty().allSatisfy(c -> {
            assertThat(c.get("emergency")).isEqualTo(true);
            assertThat(c.get("policy.rule")).isEqualTo("emergency-calls-first");
            assertThat(c.get("policy.action")).isEqualTo("prioritise");
        });
        // signalling and media: every SIP flow, and every flow to or from an announced endpoint
        List<Map<String, Object>> endpoints = out.get("112,061963177 verdicts").stream().filter(m -> "endpoint".equals(m.get("scope"))).toList();
        assertThat(endpoints).isNotEmpty();
        List<String> announced = endpoints.stream().map(m -> m.get("ip") + ":" + m.get("port")).toList();
        for (Map<String, Object> f : out.get("112,061963177 flows")) {
            boolean media = announced.contains(f.get("src_ip") + ":" + f.get("src_port"))
                    || announced.contains(f.get("dst_ip") + ":" + f.get("dst_port"));
            boolean sip = "SIP".equals(f.get("protocol"));
            if (media || sip) {
                assertThat(f.get("policy.rule")).as(f.toString()).isEqualTo("emergency-calls-first");
            }
        }
        assertThat(out.get("112,061963177 flows").stream().filter(f -> "emergency-calls-first".equals(f.get("policy.rule")))
                .map(f -> f.get("protocol")).distinct().toList()).contains("SIP").hasSizeGreaterThan(1);
    }

    static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> lines(String s) {
        return s.lines();
    }
}
