package org.fathom.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.fathom.capture.CaptureFiles;
import org.fathom.capture.CaptureReader;
import org.fathom.capture.ForwardingSource;
import org.fathom.capture.Packet;
import org.fathom.decode.DecodedPacket;
import org.fathom.net.Addresses;
import org.fathom.pipeline.AnalysisOptions;
import org.fathom.pipeline.AnalysisSummary;
import org.fathom.pipeline.Engine;
import org.fathom.pipeline.Progress;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
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

/**
 * A policy reloaded while the engine runs ({@link PolicyEngine#reload}): on a recorded spam run
 * (captures/policy/README.md), the reload comes at a chosen packet; flows that live on are decided
 * again, address verdicts of removed rules are lifted, hit counts follow rule names. And the
 * table swapped under readers that never take a lock.
 */
class PolicyReloadTest {
    static final Path SPAM_RUN = PolicyEngineTest.CAPTURES.resolve("policy/spam-run.pcap");

    static Policy policy(String yaml) {
        return PolicyFile.parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** Calls {@code atPacket} just before packet number {@code n} (1-based) goes to the engine. */
    static final class ReloadAt extends ForwardingSource {
        private final int n;
        private final Consumer<Long> atPacket;
        private int read;

        ReloadAt(CaptureReader r, int n, Consumer<Long> atPacket) {
            super(r);
            this.n = n;
            this.atPacket = atPacket;
        }

        @Override
        public int read(Packet p) {
            int s = super.read(p);
            if (s == PACKET && ++read == n) {
                atPacket.accept(p.timestampNanos);
            }
            return s;
        }
    }

    record Run(PolicyEngine engine, CollectingSink sink) {
        List<VerdictRecord> verdicts() {
            return sink.verdicts();
        }

        Map<String, PolicyEngine.RuleHits> hits() {
            return engine.hits().stream().collect(Collectors.toMap(h -> h.rule() == null ? "default" : h.rule(), h -> h));
        }

        FlowRecord flow(String client, int port) {
            return sink.flows().stream().filter(f -> f.srcIp().equals(client) && f.srcPort() == port).findFirst().orElseThrow();
        }
    }

    /** Runs the spam run with {@code first}, putting {@code next} in force before packet {@code at}. */
    static Run run(String first, String next, int at, int workers) throws Exception {
        PolicyEngine engine = new PolicyEngine(policy(first));
        Policy second = policy(next);
        CollectingSink sink = new CollectingSink();
        PrivacyPolicy privacy = Analyze.labPolicy();
        AnalysisOptions options = AnalysisOptions.defaults()
                .withStandardAnalyzers(CallConfig.defaults(), new CallStats(), List.of()).withPolicy(engine);
        try (PrivacyGuard guard = new PrivacyGuard(privacy, AuditLog.open(privacy.auditLog()), List.of(sink));
             CaptureReader r = CaptureFiles.open(SPAM_RUN)) {
            new Engine(options, workers, guard).run(new ReloadAt(r, at, t -> engine.reload(second, guard, t)),
                    new AnalysisSummary(), Progress.NONE);
        }
        return new Run(engine, sink);
    }

    static final String WATCH = """
            policy:
              rules:
                - name: smtp
                  match: { application: SMTP }
                  action: report
            """;

    static final String BLOCK = """
            policy:
              rules:
                - name: smtp
                  match: { application: SMTP }
                  action: block
            """;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aLiveFlowIsDecidedAgainAtItsNextPacketAndItsRuleKeepsItsHits(int workers) throws Exception {
        // packet 150 is in the middle of the spam run (127.0.0.66:55287, 1.05 s to 2.13 s)
        Run r = run(WATCH, BLOCK, 150, workers);
        List<VerdictRecord> spam = r.verdicts().stream().filter(v -> v.srcPort() == 55287 || v.dstPort() == 55287).toList();
        VerdictRecord v = spam.get(spam.size() - 1);
        if (workers == 2) {
            // the reader reloads when it reads packet 150; the worker may be behind it and meet the
            // flow under the new policy only: blocked either way, from the reload or its classification
            assertThat(v.action()).isEqualTo("block");
            assertThat(v.cause()).isIn("reload", "classified");
        } else {
            List<VerdictRecord> reload = r.verdicts().stream().filter(x -> x.cause().equals("reload")).toList();
            assertThat(reload).as("the spam run, live at the reload, changes verdict at its next packet").containsExactly(v);
            assertThat(v.scope()).isEqualTo("flow");
            assertThat(v.rule()).isEqualTo("smtp");
            assertThat(v.action()).isEqualTo("block");
            assertThat(v.previous()).isEqualTo("smtp");
        }
        // flows after the reload: blocked as they are classified; the first, ended before: reported
        assertThat(r.flow("127.0.0.66", 51955).metadata()).containsEntry("policy.action", "block");
        assertThat(r.flow("127.0.0.66", 45945).metadata()).containsEntry("policy.action", "block");
        assertThat(r.flow("127.0.0.66", 55287).metadata()).containsEntry("policy.action", "block");
        // the rule kept its name: one line, every SMTP flow under it
        PolicyEngine.RuleHits h = r.hits().get("smtp");
        assertThat(h.action()).isEqualTo(Action.BLOCK);
        assertThat(h.flows()).isEqualTo(5);
        assertThat(r.hits()).hasSize(2);   // smtp and the default
        assertThat(r.engine().reloads()).isEqualTo(1);
    }

    static final String SPAM_1H = """
            policy:
              rules:
                - name: block-spam-runs
                  match: { alert: spam_run }
                  action: block
                  for: 1h
            """;

    static final String OTHER = """
            policy:
              rules:
                - name: block-telnet
                  match: { port: 23 }
                  action: block
            """;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theAddressVerdictOfARemovedRuleIsLiftedAndItsHitsStayReported(int workers) throws Exception {
        // packet 400 (2.22 s): after the spam run's alert, before the spammer's last connection (9.27 s)
        Run r = run(SPAM_1H, OTHER, 400, workers);
        VerdictRecord lifted = r.verdicts().stream().filter(v -> v.scope().equals("address") && v.cause().equals("reload"))
                .findFirst().orElseThrow();
        assertThat(Addresses.format(lifted.srcHi(), lifted.srcLo())).isEqualTo("127.0.0.66");
        assertThat(lifted.previous()).isEqualTo("block-spam-runs");
        assertThat(lifted.rule()).isEqualTo("default");
        assertThat(lifted.action()).isEqualTo("allow");
        // without the reload the 1 h verdict would block the spammer's last connection
        assertThat(r.flow("127.0.0.66", 45945).metadata()).containsEntry("policy.rule", "default");
        PolicyEngine.RuleHits gone = r.hits().get("block-spam-runs");
        assertThat(gone).as("a removed rule's counts are still reported").isNotNull();
        assertThat(gone.addresses()).isEqualTo(1);
        if (workers == 1) {
            // with 2 workers the reader (who reloads) may run ahead of the worker that owns the
            // spam flow: it meets the address verdict lifted already
            assertThat(gone.packets()).isPositive();
        }
        assertThat(r.hits()).containsKey("block-telnet");
    }

    @Test
    void withoutTheReloadTheSpammersLastConnectionIsBlocked() throws Exception {
        // the control of the test above: the same run, the same policy put in force again (no change)
        Run r = run(SPAM_1H, SPAM_1H, 400, 1);
        assertThat(r.flow("127.0.0.66", 45945).metadata()).containsEntry("policy.rule", "block-spam-runs");
        assertThat(r.verdicts()).noneMatch(v -> v.cause().equals("reload"));
    }

    static final String A = """
            policy:
              rules:
                - name: mark-web
                  match: { port: 80 }
                  action: mark
                  dscp: 10
                - name: block-telnet
                  match: { port: 23 }
                  action: block
              default: report
            """;

    static final String B = """
            policy:
              rules:
                - name: block-telnet
                  match: { port: 23 }
                  action: block
                - name: mark-web
                  match: { port: 80 }
                  action: prioritise
              default: allow
            """;

    static DecodedPacket packet(String src, int sp, String dst, int dp) {
        DecodedPacket d = new DecodedPacket();
        long[] s = VerdictTableTest.ip(src);
        long[] t = VerdictTableTest.ip(dst);
        d.srcHi = s[0];
        d.srcLo = s[1];
        d.dstHi = t[0];
        d.dstLo = t[1];
        d.srcPort = sp;
        d.dstPort = dp;
        d.l4 = 6;
        d.timestampNanos = 1;
        return d;
    }

    /**
     * Whether every verdict is policy {@code k}'s or policy {@code k + 1}'s (each lookup sees the
     * table before or after a rebase, never a mix within one lookup).
     */
    private static boolean inForce(List<Policy> sequence, int k, Verdict... vs) {
        for (Verdict v : vs) {
            if (!PolicyEngine.belongs(sequence.get(k), v) && (k + 1 >= sequence.size() || !PolicyEngine.belongs(sequence.get(k + 1), v))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void readersNeverSeeHalfAReloadAndSeeTheNewPolicyOnceItReturns(@TempDir Path dir) throws Exception {
        Policy a = policy(A);
        // each reload a policy object of its own, A and B in turn: "the one after p" is known
        List<Policy> sequence = new ArrayList<>(List.of(a));
        for (int k = 0; k < 200; k++) {
            sequence.add(policy(k % 2 == 0 ? B : A));
        }
        java.util.IdentityHashMap<Policy, Integer> place = new java.util.IdentityHashMap<>();
        for (int k = 0; k < sequence.size(); k++) {
            place.put(sequence.get(k), k);
        }
        PolicyEngine engine = new PolicyEngine(a, 4096);
        VerdictTable table = engine.verdicts();
        DecodedPacket[] web = new DecodedPacket[256];
        DecodedPacket[] telnet = new DecodedPacket[256];
        for (int i = 0; i < 256; i++) {
            web[i] = packet("10.0.0." + i, 40000 + i, "192.0.2.1", 80);
            telnet[i] = packet("10.0.1." + i, 40000 + i, "192.0.2.2", 23);
            table.putFlow(6, web[i].srcHi, web[i].srcLo, web[i].srcPort, web[i].dstHi, web[i].dstLo, 80, 0, a.rules().get(0).verdict());
            table.putFlow(6, telnet[i].srcHi, telnet[i].srcLo, telnet[i].srcPort, telnet[i].dstHi, telnet[i].dstLo, 23, 0,
                    a.rules().get(1).verdict());
        }
        DecodedPacket other = packet("10.9.9.9", 5555, "192.0.2.3", 443);
        int readers = 3;
        AtomicReference<String> wrong = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(readers);
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int t = 0; t < readers; t++) {
            Thread th = new Thread(() -> {
                started.countDown();
                int i = 0;
                while (!stop.get()) {
                    // what the packet path sees: the policy in force first (as a shard does), then the table
                    Policy p = engine.policy();
                    Verdict w = table.lookup(web[i & 255]);
                    Verdict n = table.lookup(telnet[i & 255]);
                    Verdict o = table.lookup(other);
                    Policy q = engine.policy();
                    if (w == null || n == null || o == null) {
                        wrong.compareAndSet(null, "a null verdict");
                    } else if (!w.rule().equals("mark-web") || !n.rule().equals("block-telnet") || !o.isDefault()) {
                        wrong.compareAndSet(null, "a wrong rule: " + w + " " + n + " " + o);
                    } else if (p == q && !inForce(sequence, place.get(p), w, n, o)) {
                        // the table is rebased before the policy is published: p's verdicts or the next one's
                        wrong.compareAndSet(null, "policy " + place.get(p) + " in force but a verdict of another: " + w + " " + n + " " + o);
                    } else if (!(w.action() == Action.MARK && w.dscp() == 10 || w.action() == Action.PRIORITISE && w.dscp() == 46)) {
                        wrong.compareAndSet(null, "a half-made verdict: " + w);
                    }
                    i++;
                }
            });
            th.start();
            threads.add(th);
        }
        started.await();
        PrivacyPolicy privacy = PrivacyPolicy.defaults().withAuditLog(dir.resolve("audit.log")).withKeyFile(dir.resolve("key"));
        AuditLog audit = AuditLog.open(privacy.auditLog());
        try {
            for (int k = 0; k < 200; k++) {
                Policy next = sequence.get(k + 1);
                engine.reload(next, null, k);
                // once reload returns, every lookup is the new policy's
                for (int i = 0; i < 256; i += 17) {
                    assertThat(table.lookup(web[i])).isSameAs(next.rules().stream().filter(r -> r.name().equals("mark-web"))
                            .findFirst().orElseThrow().verdict());
                }
                assertThat(table.lookup(other)).isSameAs(next.fallback());
                engine.auditReload(audit, next, "test.yaml", null, null);
                Thread.sleep(1);
            }
            engine.auditReload(audit, null, "bad.yaml", "00ff", "bad.yaml:3: unknown action 'blok'");
        } finally {
            stop.set(true);
            for (Thread th : threads) {
                th.join();
            }
        }
        assertThat(wrong.get()).isNull();
        assertThat(engine.reloads()).isEqualTo(200);
        assertThat(table.size()).as("no entry lost: every rule kept its name").isEqualTo(512);
        assertThat(AuditLog.verify(privacy.auditLog()).ok()).as("the audit chain verifies after 201 reload entries").isTrue();
    }

    /** The capture's packets moved in time by {@code shift} nanoseconds. */
    static final class Shifted extends ForwardingSource {
        private final long shift;

        Shifted(CaptureReader r, long shift) {
            super(r);
            this.shift = shift;
        }

        @Override
        public int read(Packet p) {
            int s = super.read(p);
            if (s == PACKET) {
                p.timestampNanos += shift;
            }
            return s;
        }
    }

    /** 2026-12-07T10:00:00Z, where the spam run's capture is moved so that 1.1 s into it (in the thick of the spam run) is this minute. */
    static final long TEN = java.time.Instant.parse("2026-12-07T10:00:00Z").getEpochSecond() * 1_000_000_000L;

    static Run timed(String range, int workers) throws Exception {
        long first;
        try (CaptureReader r = CaptureFiles.open(SPAM_RUN)) {
            Packet p = new Packet();
            assertThat(r.read(p)).isEqualTo(CaptureReader.PACKET);
            first = p.timestampNanos;
        }
        PolicyEngine engine = new PolicyEngine(policy("""
                policy:
                  rules:
                    - name: smtp-in-hours
                      match: { application: SMTP, time: %s }
                      action: block
                """.formatted(range)));
        CollectingSink sink = new CollectingSink();
        PrivacyPolicy privacy = Analyze.labPolicy();
        AnalysisOptions options = AnalysisOptions.defaults()
                .withStandardAnalyzers(CallConfig.defaults(), new CallStats(), List.of()).withPolicy(engine);
        try (PrivacyGuard guard = new PrivacyGuard(privacy, AuditLog.open(privacy.auditLog()), List.of(sink));
             CaptureReader r = CaptureFiles.open(SPAM_RUN)) {
            new Engine(options, workers, guard).run(new Shifted(r, TEN - 1_100_000_000L - first), new AnalysisSummary(),
                    Progress.NONE);
        }
        return new Run(engine, sink);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFlowLiveWhenItsRulesTimeRangeOpensIsBlockedFromThatMinute(int workers) throws Exception {
        Run r = timed("10:00-10:30", workers);
        // the first ordinary mail ended before 10:00; the spam run (09:59:59.95 to 10:00:01.03) crosses it
        assertThat(r.flow("127.0.0.7", 37429).metadata()).containsEntry("policy.rule", "default");
        List<VerdictRecord> spam = r.verdicts().stream().filter(v -> v.srcPort() == 55287 || v.dstPort() == 55287).toList();
        assertThat(spam).hasSize(1);
        assertThat(spam.get(0).cause()).isEqualTo("time");
        assertThat(spam.get(0).action()).isEqualTo("block");
        assertThat(spam.get(0).nanos()).isBetween(TEN, TEN + 5_000_000L);
        assertThat(r.flow("127.0.0.66", 55287).metadata()).containsEntry("policy.action", "block");
        // flows that start after 10:00 are decided in the range
        assertThat(r.flow("127.0.0.66", 51955).metadata()).containsEntry("policy.action", "block");
        assertThat(r.flow("127.0.0.66", 45945).metadata()).containsEntry("policy.action", "block");
        // the packets blocked: only the spam run's from 10:00 on, and the later flows'
        assertThat(r.hits().get("smtp-in-hours").packets()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFlowLiveWhenItsRulesTimeRangeClosesIsLetGoFromThatMinute(int workers) throws Exception {
        Run r = timed("09:00-10:00", workers);
        List<VerdictRecord> spam = r.verdicts().stream().filter(v -> v.srcPort() == 55287 || v.dstPort() == 55287).toList();
        assertThat(spam).extracting(VerdictRecord::action, VerdictRecord::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("block", "classified"),
                        org.assertj.core.groups.Tuple.tuple("allow", "time"));
        assertThat(spam.get(1).previous()).isEqualTo("smtp-in-hours");
        assertThat(spam.get(1).nanos()).isBetween(TEN, TEN + 5_000_000L);
        // the record: its verdict as at its end (the range has closed)
        assertThat(r.flow("127.0.0.66", 55287).metadata()).containsEntry("policy.rule", "default");
        assertThat(r.flow("127.0.0.7", 37429).metadata()).containsEntry("policy.action", "block");
        assertThat(r.flow("127.0.0.66", 51955).metadata()).containsEntry("policy.rule", "default");
    }

    @Test
    void theNextBoundaryIsTheNextRangeEdgeInThePolicysZone() {
        Policy p = policy("""
                policy:
                  timezone: Europe/Paris
                  rules:
                    - name: work
                      match: { port: 80, time: [08:00-12:00, 14:00-18:00] }
                      action: block
                """);
        long t = java.time.Instant.parse("2026-12-07T10:30:00Z").getEpochSecond() * 1_000_000_000L;   // 11:30 in Paris
        assertThat(java.time.Instant.ofEpochSecond(p.nextBoundary(t) / 1_000_000_000L)).isEqualTo("2026-12-07T11:00:00Z");
        long evening = java.time.Instant.parse("2026-12-07T17:00:00Z").getEpochSecond() * 1_000_000_000L;   // 18:00 in Paris
        assertThat(java.time.Instant.ofEpochSecond(p.nextBoundary(evening) / 1_000_000_000L)).isEqualTo("2026-12-08T07:00:00Z");
        assertThat(policy(BLOCK).nextBoundary(t)).isEqualTo(Policy.NO_BOUNDARY);
    }
}
