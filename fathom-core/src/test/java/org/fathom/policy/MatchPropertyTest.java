package org.fathom.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the matcher over random policies and flows: a verdict decided at a flow's first
 * packet (before classification) is the one classification would give, whatever the
 * classification turns out to be; and the verdict is the first rule that matches on its own.
 */
class MatchPropertyTest {
    static final List<String> APPS = List.of("YouTube", "BitTorrent", "Netflix", "DNS");
    static final List<String> KEYS = List.of("src_net: 10.0.0.0/8", "src_net: 10.1.0.0/16", "dst_net: 192.0.2.0/24",
            "port: 443", "port: 1-1024", "l4: TCP", "l4: UDP", "vlan: 7", "application: YouTube",
            "application: BitTorrent", "category: Media", "protocol: TLS", "confidence: DPI", "sni: example.com",
            "risk: missing_sni");

    @Provide
    Arbitrary<String> policies() {
        Arbitrary<String> match = Arbitraries.of(KEYS).list().ofMinSize(0).ofMaxSize(3).uniqueElements(s -> s.substring(0, s.indexOf(':')))
                .map(l -> "{ " + String.join(", ", l) + " }");
        return match.list().ofMinSize(1).ofMaxSize(6).map(ms -> {
            StringBuilder b = new StringBuilder("policy:\n  rules:\n");
            for (int i = 0; i < ms.size(); i++) {
                b.append("    - name: r").append(i).append("\n      match: ").append(ms.get(i)).append("\n      action: report\n");
            }
            return b.toString();
        });
    }

    @Provide
    Arbitrary<Facts> flows() {
        Arbitrary<long[]> addr = Arbitraries.of(new long[] {0, 0xffff_0a01_0203L}, new long[] {0, 0xffff_0a02_0203L},
                new long[] {0, 0xffff_c000_0205L}, new long[] {0, 0xffff_c633_6401L});
        Arbitrary<Integer> port = Arbitraries.of(53, 80, 443, 5060, 40000);
        Arbitrary<Integer> l4 = Arbitraries.of(6, 17);
        Arbitrary<Integer> vlan = Arbitraries.of(0, 7);
        return Combinators.combine(addr, addr, port, l4, vlan).as((s, d, p, proto, v) -> {
            Facts f = new Facts().endpoints(proto, s[0], s[1], 50000, d[0], d[1], p, v).unclassified();
            f.nanos = 1_700_000_000_000_000_000L;
            return f;
        });
    }

    @Provide
    Arbitrary<Object[]> classifications() {
        return Combinators.combine(Arbitraries.of("TLS", "QUIC", "HTTP"), Arbitraries.of(APPS),
                Arbitraries.of("Media", "Web", "Download"), Arbitraries.of("DPI", "port"),
                Arbitraries.of("www.example.com", "example.org", ""), Arbitraries.of(List.of(), List.of("missing_sni")))
                .as((p, a, c, conf, sni, risks) -> new Object[] {p, a, c, conf, sni, risks});
    }

    @Property(tries = 500)
    @SuppressWarnings("unchecked")
    void anEarlyVerdictIsTheFinalOne(@ForAll("policies") String yaml, @ForAll("flows") Facts f,
                                     @ForAll("classifications") Object[] c) {
        Policy p = PolicyFileTest.parse(yaml);
        Verdict early = p.decideFlow(f, false);
        Map<String, Object> meta = ((String) c[4]).isEmpty() ? Map.of() : Map.of("tls.sni", c[4]);
        f.classified((String) c[0], (String) c[1], (String) c[2], (String) c[3], meta, (List<String>) c[5]);
        Verdict late = p.decideFlow(f, true);
        if (early != null) {
            assertThat(late).isSameAs(early);
        }
        // the verdict is the first rule whose match holds on its own, else the default
        List<Rule> holding = new ArrayList<>();
        for (Rule r : p.rules()) {
            if (r.match().matches(f)) {
                holding.add(r);
            }
        }
        assertThat(late).isSameAs(holding.isEmpty() ? p.fallback() : holding.getFirst().verdict());
    }

    @Property(tries = 300)
    void aPlainNameMatchesItselfAndWhatIsUnderIt(@ForAll("labels") String name, @ForAll("labels") String sub) {
        assertThat(Match.nameMatches(name, name)).isTrue();
        assertThat(Match.nameMatches(name, sub + "." + name)).isTrue();
        assertThat(Match.nameMatches(name, sub + name)).isEqualTo(sub.isEmpty());
        assertThat(Match.nameMatches("*", name)).isTrue();
        assertThat(Match.nameMatches("*." + name, sub + "." + name)).isTrue();
    }

    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.strings().withChars("abc.-").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.startsWith(".") && !s.endsWith(".") && !s.contains(".."));
    }
}
