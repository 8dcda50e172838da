package org.fathom.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
    /** The example of issue 13, as written there. */
    static final String ISSUE_EXAMPLE = """
            policy:
              name: default
              rules:
                - name: emergency-calls-first
                  match: { emergency_call: true }          # SIP signalling and its announced media
                  action: prioritise                       # DSCP EF (46) unless `dscp:` says otherwise
                - name: block-spam-runs
                  match: { alert: spam_run }               # sources the attack detector flagged
                  action: block
                  for: 1h                                  # how long the verdict sticks to the source
                - name: no-bittorrent-at-work
                  match: { application: BitTorrent, src_net: 10.20.0.0/16 }
                  action: block
                - name: throttle-video
                  match: { category: video }
                  action: rate_limit
                  rate: 2mbit                              # per flow (token bucket)
                - name: watch-obsolete-tls
                  match: { risk: obsolete_tls_version }
                  action: report
              default: allow
            """;

    static Policy parse(String yaml) {
        return PolicyFile.parse("p.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    static void fails(String yaml, int line, String... parts) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(PolicyException.class)
                .satisfies(e -> {
                    assertThat(((PolicyException) e).line()).as(e.getMessage()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("p.yaml:" + (line > 0 ? line + ":" : ""));
                    for (String p : parts) {
                        assertThat(e.getMessage()).contains(p);
                    }
                    assertThat(e.getMessage()).doesNotContain("\n");
                });
    }

    @Test
    void readsTheIssueExample() {
        Policy p = parse(ISSUE_EXAMPLE);
        assertThat(p.name()).isEqualTo("default");
        assertThat(p.rules()).extracting(Rule::name).containsExactly("emergency-calls-first", "block-spam-runs",
                "no-bittorrent-at-work", "throttle-video", "watch-obsolete-tls");
        assertThat(p.rules()).extracting(Rule::action).containsExactly(Action.PRIORITISE, Action.BLOCK, Action.BLOCK,
                Action.RATE_LIMIT, Action.REPORT);
        assertThat(p.rules().get(0).verdict().dscp()).isEqualTo(46);
        assertThat(p.rules().get(0).kind()).isEqualTo(Match.Kind.CALL);
        assertThat(p.rules().get(1).kind()).isEqualTo(Match.Kind.ALERT);
        assertThat(p.rules().get(1).forNanos()).isEqualTo(3600L * 1_000_000_000L);
        assertThat(p.rules().get(2).kind()).isEqualTo(Match.Kind.FLOW);
        assertThat(p.rules().get(3).verdict().rateBitsPerSecond()).isEqualTo(2_000_000L);
        assertThat(p.rules().get(1).line()).isEqualTo(7);
        assertThat(p.fallback()).isSameAs(Verdict.DEFAULT_ALLOW);
        assertThat(p.sha256()).hasSize(64);
    }

    @Test
    void garbageIsNotAPolicy() {
        fails("just some words\n", 1, "expected a mapping with 'policy:'");
        fails("policy: [unclosed\n  - x: y\n", 2, "not valid YAML");
        fails("", 1, "empty");
        fails("policy:\n  rules:\n    - name: a\n      match: {}\n      action: block\n---\npolicy: {}\n", 7, "more than one YAML document");
        assertThatThrownBy(() -> PolicyFile.parse("bin", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}))
                .hasMessageContaining("bin: not UTF-8");
    }

    @Test
    void unknownKeysNameTheLineAndANearName() {
        fails("""
                policy:
                  rules:
                    - name: a
                      match: { aplication: BitTorrent }
                      action: block
                """, 4, "unknown match key 'aplication'", "did you mean 'application'");
        fails("""
                policy:
                  rules:
                    - name: a
                      match: {}
                      acton: block
                """, 5, "unknown rule key 'acton'");
        fails("""
                policy:
                  defaults: allow
                """, 2, "unknown policy key 'defaults'", "did you mean 'default'");
        fails("rules: []\n", 1, "unknown key 'rules' at the top");
    }

    @Test
    void badValues() {
        fails(rule("{ src_net: 10.20.0.0/33 }", "block"), 4, "'10.20.0.0/33' is not an IP address or address block");
        fails(rule("{ src_net: [10.0.0.0/8, 300.1.1.1] }", "block"), 4, "'300.1.1.1'");
        fails(rule("{ port: 70000 }", "block"), 4, "not a port");
        fails(rule("{ port: 90-80 }", "block"), 4, "not a port");
        fails(rule("{ l4: TPC }", "block"), 4, "unknown l4 protocol 'TPC'");
        fails(rule("{ vlan: 5000 }", "block"), 4, "not a VLAN id");
        fails(rule("{ confidence: guess }", "block"), 4, "unknown confidence 'guess'");
        fails(rule("{ risk: obsolete_tls }", "block"), 4, "unknown risk 'obsolete_tls'", "did you mean");
        fails(rule("{ alert: spam }", "block\n      for: 1h"), 4, "unknown alert 'spam'");
        fails(rule("{ time: 25:00-08:00 }", "block"), 4, "hours are 00..24");
        fails(rule("{ time: morning }", "block"), 4, "not a time-of-day range");
        fails(rule("{ emergency_call: false }", "block"), 4, "only 'true'");
        fails(rule("{ host: 'exa mple.com' }", "block"), 4, "not a host name pattern");
        fails(rule("{ outcome: lost }", "report"), 4, "unknown outcome 'lost'");
    }

    @Test
    void badActionsAndTheirParameters() {
        fails(rule("{}", "drop"), 5, "unknown action 'drop'");
        fails(rule("{}", "mark"), 5, "mark needs 'dscp:'");
        fails(rule("{}", "mark\n      dscp: 64"), 6, "not a DSCP");
        fails(rule("{}", "block\n      dscp: 46"), 6, "'dscp:' goes with mark or prioritise");
        fails(rule("{}", "rate_limit"), 5, "rate_limit needs 'rate:'");
        fails(rule("{}", "rate_limit\n      rate: fast"), 6, "not a rate");
        fails(rule("{}", "rate_limit\n      rate: 10bit"), 6, "out of range");
        fails(rule("{}", "block\n      rate: 2mbit"), 6, "'rate:' goes with rate_limit");
        fails(rule("{ alert: spam_run }", "block"), 3, "needs 'for:'");
        fails(rule("{ alert: spam_run }", "block\n      for: soon"), 6, "not a duration");
        fails(rule("{ application: Skype }", "block\n      for: 1h"), 6, "'for:' goes with alert rules");
        fails("policy:\n  default: mark\n", 2, "default may be allow, block or report");
        fails("policy:\n  default: nothing\n", 2, "unknown default action 'nothing'");
    }

    @Test
    void rulesAreWellFormed() {
        fails("policy:\n  rules:\n    - match: {}\n      action: block\n", 3, "has no name");
        fails("policy:\n  rules:\n    - name: a\n      action: block\n", 3, "has no match");
        fails("policy:\n  rules:\n    - name: a\n      match: {}\n", 3, "has no action");
        fails("policy:\n  rules:\n    - name: a\n      match: {}\n      action: block\n    - name: a\n      match: {}\n      action: allow\n",
                6, "a second rule named 'a'");
        fails("policy:\n  rules:\n    - name: a\n      name: b\n      match: {}\n      action: block\n", 4, "given twice");
        fails("policy:\n  rules: allow\n", 2, "must be a list of rules");
        fails(rule("{ alert: spam_run, application: SMTP }", "block\n      for: 1h"), 4, "'application' cannot be combined with 'alert'");
        fails(rule("{ alert: syn_flood }", "block\n      for: 1h"), 4, "act on its target");
        fails(rule("{ emergency_call: true, category: VoIP }", "prioritise"), 4, "cannot be combined with call keys");
        fails(rule("{ alert_as: target }", "block"), 4, "'alert_as' goes with 'alert'");
    }

    @Test
    void extendedKeysParse() {
        Policy p = parse("""
                policy:
                  name: office
                  timezone: Europe/Paris
                  rules:
                    - name: dns-ok
                      match: { l4: [udp, 6], port: [53, 5353-5355], vlan: 10, dst_net: 2001:db8::/32 }
                      action: allow
                    - name: mark-video
                      match: { category: [Video, Media], confidence: DPI, time: 08:00-18:00 }
                      action: mark
                      dscp: AF41
                    - name: flood-victims
                      match: { alert: [syn_flood, udp_flood], alert_as: target, dst_net: 192.0.2.0/24 }
                      action: rate_limit
                      rate: 1.5mbit
                      for: 10m
                    - name: failed-calls
                      match: { outcome: [failed, dropped] }
                      action: report
                    - name: tube
                      match: { host: "*.youtube.com", sni: googlevideo.com }
                      action: prioritise
                      dscp: 34
                  default: report
                """);
        assertThat(p.zone().getId()).isEqualTo("Europe/Paris");
        assertThat(p.rules().get(1).verdict().dscp()).isEqualTo(34);
        assertThat(p.rules().get(2).verdict().rateBitsPerSecond()).isEqualTo(1_500_000L);
        assertThat(p.rules().get(2).forNanos()).isEqualTo(600_000_000_000L);
        assertThat(p.rules().get(3).kind()).isEqualTo(Match.Kind.CALL);
        assertThat(p.fallback().action()).isEqualTo(Action.REPORT);
    }

    @Test
    void loadsFilesAndSaysWhenItCannot(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, ISSUE_EXAMPLE);
        assertThat(PolicyFile.load(f).rules()).hasSize(5);
        assertThatThrownBy(() -> PolicyFile.load(dir.resolve("missing.yaml")))
                .hasMessage(dir.resolve("missing.yaml") + ": no such file");
        assertThatThrownBy(() -> PolicyFile.load(dir)).hasMessageContaining("is a folder");
        Files.writeString(f, ISSUE_EXAMPLE.replace("10.20.0.0/16", "10.20.0.0/99"));
        assertThatThrownBy(() -> PolicyFile.load(f)).hasMessageStartingWith(f + ":12: '10.20.0.0/99'");
    }

    /** A policy with one rule; its match on line 4, its action on line 5. */
    static String rule(String match, String action) {
        return "policy:\n  rules:\n    - name: r\n      match: " + match + "\n      action: " + action + "\n";
    }
}
