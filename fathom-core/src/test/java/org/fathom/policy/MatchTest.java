package org.fathom.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fathom.net.Cidr;
import org.junit.jupiter.api.Test;

/** Each match key on its own, and first match wins. */
class MatchTest {
    static Policy one(String match) {
        return PolicyFileTest.parse(PolicyFileTest.rule(match, "block"));
    }

    /** A classified TCP flow 10.20.1.5:40000 -> 192.0.2.10:443, untagged, at 12:00 UTC. */
    static Facts flow() {
        long[] c = Cidr.parseAddress("10.20.1.5"), s = Cidr.parseAddress("192.0.2.10");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("tls.sni", "www.Example.com");
        Facts f = new Facts().endpoints(6, c[0], c[1], 40000, s[0], s[1], 443, 0).unclassified()
                .classified("TLS", "YouTube", "Media", "DPI", meta, List.of("obsolete_tls_version"));
        f.nanos = Instant.parse("2026-12-06T12:00:00Z").getEpochSecond() * 1_000_000_000L;
        return f;
    }

    static boolean matches(String match, Facts f) {
        Rule r = one(match).rules().getFirst();
        return r.match().matches(f);
    }

    @Test
    void addressesPortsProtocolAndVlan() {
        Facts f = flow();
        assertThat(matches("{ src_net: 10.20.0.0/16 }", f)).isTrue();
        assertThat(matches("{ src_net: 10.21.0.0/16 }", f)).isFalse();
        assertThat(matches("{ src_net: [10.21.0.0/16, 10.20.1.5] }", f)).isTrue();
        assertThat(matches("{ dst_net: 192.0.2.0/24 }", f)).isTrue();
        assertThat(matches("{ dst_net: 10.20.0.0/16 }", f)).isFalse();   // the server is the destination
        assertThat(matches("{ dst_net: '2001:db8::/32' }", f)).isFalse();
        assertThat(matches("{ port: 443 }", f)).isTrue();
        assertThat(matches("{ port: 40000 }", f)).as("port is the server's").isFalse();
        assertThat(matches("{ port: 400-500 }", f)).isTrue();
        assertThat(matches("{ l4: tcp }", f)).isTrue();
        assertThat(matches("{ l4: [UDP, 17] }", f)).isFalse();
        assertThat(matches("{ vlan: 0 }", f)).isTrue();
        assertThat(matches("{ vlan: 100 }", f)).isFalse();
        f.vlan = 100;
        assertThat(matches("{ vlan: [99, 100] }", f)).isTrue();
        long[] v6 = Cidr.parseAddress("2001:db8::1");
        f.dstHi = v6[0];
        f.dstLo = v6[1];
        assertThat(matches("{ dst_net: '2001:db8::/32' }", f)).isTrue();
    }

    @Test
    void classification() {
        Facts f = flow();
        assertThat(matches("{ protocol: tls }", f)).isTrue();
        assertThat(matches("{ protocol: QUIC }", f)).isFalse();
        assertThat(matches("{ application: [Netflix, youtube] }", f)).isTrue();
        assertThat(matches("{ category: media }", f)).isTrue();
        assertThat(matches("{ category: Web }", f)).isFalse();
        assertThat(matches("{ risk: obsolete_tls_version }", f)).isTrue();
        assertThat(matches("{ risk: missing_sni }", f)).isFalse();
        assertThat(matches("{ confidence: dpi }", f)).isTrue();
        assertThat(matches("{ confidence: port }", f)).isFalse();
        assertThat(matches("{ sni: example.com }", f)).as("a name and every name under it").isTrue();
        assertThat(matches("{ sni: ample.com }", f)).isFalse();
        assertThat(matches("{ sni: '*.example.*' }", f)).isTrue();
        assertThat(matches("{ host: www.example.com }", f)).isTrue();
        assertThat(matches("{ host: '*.org' }", f)).isFalse();
        assertThat(matches("{ application: YouTube }", flow().unclassified())).as("unclassified").isFalse();
        Facts h = flow();
        h.metadata = Map.of("http.host", "video.example.org");
        assertThat(matches("{ host: example.org }", h)).isTrue();
        assertThat(matches("{ sni: example.org }", h)).as("sni looks at TLS/QUIC only").isFalse();
    }

    @Test
    void timeOfDayInThePolicysZone() {
        Facts f = flow();   // 12:00 UTC = 13:00 in Paris
        assertThat(matches("{ time: 11:00-12:30 }", f)).isTrue();
        assertThat(matches("{ time: 12:01-18:00 }", f)).isFalse();
        assertThat(matches("{ time: 22:00-12:01 }", f)).as("wraps midnight").isTrue();
        assertThat(matches("{ time: [01:00-02:00, 11:59-12:00] }", f)).as("end exclusive").isFalse();
        Policy paris = PolicyFileTest.parse("policy:\n  timezone: Europe/Paris\n  rules:\n    - name: r\n      match: { time: 13:00-13:30 }\n      action: block\n");
        assertThat(paris.rules().getFirst().match().matches(f)).isTrue();
    }

    @Test
    void callsAndAlerts() {
        Policy p = PolicyFileTest.parse("""
                policy:
                  rules:
                    - name: sos
                      match: { emergency_call: true }
                      action: prioritise
                    - name: failed
                      match: { outcome: [failed, busy], src_net: 10.0.0.0/8 }
                      action: report
                    - name: spammers
                      match: { alert: spam_run, src_net: 10.0.0.0/8 }
                      action: block
                      for: 1h
                    - name: victims
                      match: { alert: syn_flood, alert_as: target }
                      action: rate_limit
                      rate: 10mbit
                      for: 10m
                """);
        Facts call = flow().classified("SIP", "SIP", "VoIP", "DPI", Map.of(), List.of());
        call.call = true;
        assertThat(p.decideCall(call)).isSameAs(p.fallback());
        call.outcome = "busy";
        assertThat(p.decideCall(call).rule()).isEqualTo("failed");
        call.emergency = true;
        assertThat(p.decideCall(call).rule()).isEqualTo("sos");
        assertThat(p.decideFlow(flow(), true)).as("a flow is not a call").isSameAs(p.fallback());
        long[] a = Cidr.parseAddress("10.1.2.3"), b = Cidr.parseAddress("192.0.2.1");
        Match spam = p.rules().get(2).match(), flood = p.rules().get(3).match();
        assertThat(spam.matchesAlert("spam_run", false, a[0], a[1], 0)).isTrue();
        assertThat(spam.matchesAlert("spam_run", false, b[0], b[1], 0)).as("outside src_net").isFalse();
        assertThat(spam.matchesAlert("spam_run", true, a[0], a[1], 0)).as("a source rule").isFalse();
        assertThat(spam.matchesAlert("brute_force", false, a[0], a[1], 0)).isFalse();
        assertThat(flood.matchesAlert("syn_flood", true, b[0], b[1], 0)).isTrue();
        assertThat(flood.matchesAlert("syn_flood", false, b[0], b[1], 0)).isFalse();
    }

    @Test
    void firstMatchWinsAndAnEarlyVerdictWaitsForRulesThatNeedClassification() {
        Policy p = PolicyFileTest.parse("""
                policy:
                  rules:
                    - name: tube
                      match: { application: YouTube, src_net: 10.20.0.0/16 }
                      action: rate_limit
                      rate: 1mbit
                    - name: https
                      match: { port: 443 }
                      action: report
                    - name: everything
                      match: {}
                      action: mark
                      dscp: 10
                  default: block
                """);
        Facts f = flow();
        assertThat(p.decideFlow(f, true).rule()).isEqualTo("tube");
        assertThat(p.decideFlow(flow().unclassified(), false)).as("tube may still match").isNull();
        f.application = "Netflix";
        assertThat(p.decideFlow(f, true).rule()).isEqualTo("https");
        Facts other = flow().unclassified();
        long[] c = Cidr.parseAddress("10.99.0.1");
        other.srcHi = c[0];
        other.srcLo = c[1];
        assertThat(p.decideFlow(other, false).rule()).as("tube is ruled out by the address: decided at once").isEqualTo("https");
        other.dstPort = 80;
        assertThat(p.decideFlow(other, false).rule()).isEqualTo("everything");
        assertThat(PolicyFileTest.parse("policy:\n  default: block\n").decideFlow(other, false).action()).isEqualTo(Action.BLOCK);
    }
}
