package org.fathom.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.fathom.net.Addresses;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.CaptureAnalyzer;
import org.fathom.pipeline.Progress;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.CallRecord;
import org.fathom.record.CollectingSink;
import org.fathom.record.FlowRecord;
import org.fathom.record.VerdictRecord;
import org.fathom.testing.Analyze;
import org.fathom.voip.CallConfig;
import org.fathom.voip.CallStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The policy in the engine, on recorded captures: alert rules, call rules, 1 and 2 workers. */
class PolicyEngineTest {
    static final Path CAPTURES = Path.of("src/test/resources/captures");

    record Run(PolicyEngine engine, CollectingSink sink) {
        List<FlowRecord> flows() {
            return sink.flows();
        }

        List<VerdictRecord> verdicts() {
            return sink.verdicts();
        }

        /** "client:port rule" per flow, sorted: the dry run's verdicts. */
        List<String> flowRules() {
            return flows().stream().map(f -> f.srcIp() + ":" + f.srcPort() + " " + f.metadata().get("policy.rule")).sorted().toList();
        }

        Map<String, PolicyEngine.RuleHits> hits() {
            return engine.hits().stream().collect(Collectors.toMap(h -> h.rule() == null ? "default" : h.rule(), h -> h,
                    (a, b) -> a, TreeMap::new));
        }
    }

    static Run run(Path capture, String yaml, int workers, PrivacyPolicy privacy) throws Exception {
        PolicyEngine engine = new PolicyEngine(PolicyFile.parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
        CollectingSink sink = new CollectingSink();
        AnalysisOptions options = AnalysisOptions.defaults()
                .withStandardAnalyzers(CallConfig.defaults(), new CallStats(), List.of()).withPolicy(engine);
        try (PrivacyGuard guard = new PrivacyGuard(privacy, AuditLog.open(privacy.auditLog()), List.of(sink))) {
            new CaptureAnalyzer(options).analyze(capture, workers, guard, new AnalysisSummary(), Progress.NONE);
        }
        return new Run(engine, sink);
    }

    static final String SPAM = """
            policy:
              rules:
                - name: block-spam-runs
                  match: { alert: spam_run }
                  action: block
                  for: 5s
            """;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aSpamSourceIsBlockedFromTheAlertUntilItsTimeIsUp(int workers) throws Exception {
        Run r = run(CAPTURES.resolve("policy/spam-run.pcap"), SPAM, workers, Analyze.labPolicy());
        // see captures/policy/README.md: the run itself (from the alert on), the spammer's next
        // connection 1 s later; not the ordinary client, not the spammer 8 s after its run
        assertThat(r.flows()).hasSize(5);
        Map<String, Long> byRule = r.flows().stream().collect(Collectors.groupingBy(
                f -> f.srcIp() + " " + f.metadata().get("policy.rule") + " " + f.metadata().get("policy.action"), TreeMap::new,
                Collectors.counting()));
        assertThat(byRule).containsExactly(Map.entry("127.0.0.66 block-spam-runs block", 2L),
                Map.entry("127.0.0.66 default allow", 1L), Map.entry("127.0.0.7 default allow", 2L));
        FlowRecord last = r.flows().stream().filter(f -> f.srcIp().equals("127.0.0.66"))
                .max(java.util.Comparator.comparingLong(FlowRecord::firstSeenNanos)).orElseThrow();
        assertThat(last.metadata().get("policy.rule")).as("the spammer 8 s later: the 5 s verdict has expired").isEqualTo("default");

        VerdictRecord address = r.verdicts().stream().filter(v -> v.scope().equals("address")).findFirst().orElseThrow();
        assertThat(Addresses.format(address.srcHi(), address.srcLo())).isEqualTo("127.0.0.66");
        assertThat(address.cause()).isEqualTo("alert:spam_run");
        assertThat(address.untilNanos() - address.nanos()).isEqualTo(5_000_000_000L);
        // the blocked packets are those from the alert on: the run's first packets passed
        PolicyEngine.RuleHits hits = r.hits().get("block-spam-runs");
        assertThat(hits.flows()).isEqualTo(2);
        assertThat(hits.addresses()).isEqualTo(1);
        long spamPackets = r.flows().stream().filter(f -> "block-spam-runs".equals(f.metadata().get("policy.rule")))
                .mapToLong(f -> f.packetsC2s() + f.packetsS2c()).sum();
        assertThat(hits.packets()).isPositive().isLessThan(spamPackets);
        assertThat(r.verdicts().stream().filter(v -> v.scope().equals("flow")).map(VerdictRecord::rule))
                .containsExactly("block-spam-runs", "block-spam-runs");
    }

    @Test
    void aBlockedSubscriberIsPseudonymisedInTheVerdictLogAsInFlowRecords(@TempDir Path state) throws Exception {
        PrivacyPolicy pseudonymous = PrivacyPolicy.defaults().withSubscribers(SubscriberNetworks.parse("127.0.0.0/8"))
                .withAuditLog(state.resolve("audit.log")).withKeyFile(state.resolve("key"));
        Run r = run(CAPTURES.resolve("policy/spam-run.pcap"), SPAM, 1, pseudonymous);
        VerdictRecord address = r.verdicts().stream().filter(v -> v.scope().equals("address")).findFirst().orElseThrow();
        String shown = Addresses.format(address.srcHi(), address.srcLo());
        assertThat(shown).isNotEqualTo("127.0.0.66");
        // the same pseudonym as the blocked flows' client: one can follow the verdict, not the person
        assertThat(r.flows().stream().filter(f -> "block-spam-runs".equals(f.metadata().get("policy.rule")))
                .map(FlowRecord::srcIp).distinct().toList()).containsExactly(shown);
        for (VerdictRecord v : r.verdicts()) {
            assertThat(Addresses.format(v.srcHi(), v.srcLo())).doesNotStartWith("127.0.0.66");
            assertThat(Addresses.format(v.dstHi(), v.dstLo())).doesNotStartWith("127.0.0.1");
        }
    }

    @Test
    void aFloodsTargetIsRateLimitedForItsTime() throws Exception {
        Run r = run(CAPTURES.resolve("attacks/syn-flood.pcap"), """
                policy:
                  rules:
                    - name: shield-victims
                      match: { alert: syn_flood, alert_as: target }
                      action: rate_limit
                      rate: 1mbit
                      for: 2s
                """, 1, Analyze.labPolicy());
        VerdictRecord address = r.verdicts().stream().filter(v -> v.scope().equals("address")).findFirst().orElseThrow();
        assertThat(Addresses.format(address.srcHi(), address.srcLo())).isEqualTo("127.0.0.80");
        assertThat(address.rateBps()).isEqualTo(1_000_000L);
        // the ordinary HTTP fetches (port 18080): five before the flood pass, five after it are limited
        List<Object> web = r.flows().stream().filter(f -> f.dstPort() == 18080)
                .sorted(java.util.Comparator.comparingLong(FlowRecord::firstSeenNanos))
                .map(f -> f.metadata().get("policy.rule")).toList();
        assertThat(web).containsExactly("default", "default", "default", "default", "default",
                "shield-victims", "shield-victims", "shield-victims", "shield-victims", "shield-victims");
    }

    static final String VOIP = """
            policy:
              rules:
                - name: emergency-calls-first
                  match: { emergency_call: true }
                  action: prioritise
                - name: report-failed-calls
                  match: { outcome: [failed, dropped] }
                  action: report
                - name: sip
                  match: { protocol: SIP }
                  action: mark
                  dscp: CS3
            """;

    static Path sipp() throws IOException {
        Path pcap = Files.createTempFile("sipp-calls", ".pcap");
        pcap.toFile().deleteOnExit();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(CAPTURES.resolve("voip/sipp-calls.pcap.gz")))) {
            Files.copy(in, pcap, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return pcap;
    }

    @Test
    void emergencyCallsArePrioritisedWithTheirSignallingAndMediaTheSameForOneAndTwoWorkers() throws Exception {
        Path pcap = sipp();
        Run one = run(pcap, VOIP, 1, Analyze.labPolicy());
        Run two = run(pcap, VOIP, 2, Analyze.labPolicy());
        List<CallRecord> calls = one.sink().calls();
        assertThat(calls).hasSize(332);
        for (CallRecord c : calls) {
            String expected = c.emergency() ? "emergency-calls-first"
                    : List.of("failed", "dropped").contains(c.outcome()) ? "report-failed-calls" : "sip";
            assertThat(c.policyRule()).as(c.callId() + " " + c.outcome()).isEqualTo(expected);
        }
        assertThat(calls.stream().filter(CallRecord::emergency).count()).isEqualTo(15);
        // the emergency runs' signalling flows and their announced media endpoints
        assertThat(one.flows().stream().filter(f -> "emergency-calls-first".equals(f.metadata().get("policy.rule")))
                .map(f -> f.protocol()).toList()).containsOnly("SIP").hasSize(2);
        assertThat(one.verdicts().stream().filter(v -> v.scope().equals("endpoint")).map(VerdictRecord::rule).distinct())
                .containsExactly("emergency-calls-first");
        // one record per change: the two emergency runs' caller and callee endpoints, each opened once
        // although every call of a run announces them again while the others hold them
        assertThat(one.verdicts().stream().filter(v -> v.scope().equals("endpoint"))
                .map(v -> Addresses.format(v.srcHi(), v.srcLo()) + ":" + v.srcPort()).toList()).hasSize(4).doesNotHaveDuplicates();
        assertThat(one.hits()).isEqualTo(two.hits());
        assertThat(one.flowRules()).isEqualTo(two.flowRules());
        assertThat(two.sink().calls().stream().map(c -> c.callId() + " " + c.policyRule()).sorted().toList())
                .isEqualTo(calls.stream().map(c -> c.callId() + " " + c.policyRule()).sorted().toList());
    }

    @Test
    void withoutAPolicyRecordsCarryNoPolicyFields() throws Exception {
        List<FlowRecord> flows = Analyze.flows(CAPTURES.resolve("policy/spam-run.pcap"));
        assertThat(flows).isNotEmpty().allSatisfy(f -> assertThat(f.metadata()).doesNotContainKey("policy.rule"));
    }

    @Test
    void thePolicyInForceIsInTheAuditLog(@TempDir Path dir) throws Exception {
        PolicyEngine engine = new PolicyEngine(PolicyFile.parse("test.yaml", SPAM.getBytes(StandardCharsets.UTF_8)));
        AuditLog log = AuditLog.open(dir.resolve("audit.log"));
        engine.audit(log);
        String text = Files.readString(dir.resolve("audit.log"));
        assertThat(text).contains("policy_in_force").contains(engine.policy().sha256()).contains("\"rules\":1");
        assertThat(AuditLog.verify(dir.resolve("audit.log")).ok()).isTrue();
    }
}
