package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fathom.net.Cidr;
import org.fathom.record.CollectingSink;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.Released;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyGuardTest {
    @TempDir
    Path dir;

    static final long T = 1_717_000_000_000_000_000L;

    PrivacyPolicy policy() {
        return PrivacyPolicy.defaults().withAuditLog(dir.resolve("audit.log")).withKeyFile(dir.resolve("key"));
    }

    static FlowRecord flow(String client, String server, Map<String, Object> meta) {
        long[] c = Cidr.parseAddress(client);
        long[] s = Cidr.parseAddress(server);
        return new FlowRecord("UDP", c[0], c[1], 5060, s[0], s[1], 5060, 0, null, "SIP", "SIP", "VoIP", "DPI",
                3, 2, 300, 200, T, T + 1000, 0, 0, "idle", meta, List.of());
    }

    List<FlowRecord> run(PrivacyPolicy p, FlowRecord... records) throws Exception {
        CollectingSink sink = new CollectingSink();
        try (PrivacyGuard g = new PrivacyGuard(p, AuditLog.open(p.auditLog()), List.of(sink))) {
            for (FlowRecord r : records) {
                g.emit(r);
            }
        }
        return sink.flows();
    }

    /**
     * A guard without sinks (a summary-only run) makes no released copies, but it must count what
     * it would have released exactly as a guard with a sink does: the counters, the dropped field
     * names and the audit log's closing entry.
     */
    @Test
    void aGuardWithoutSinksCountsAsOneWithASink() throws Exception {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("http.host", "example.org");
        meta.put("no.such.field", "x");
        FlowRecord[] records = {flow("192.168.1.20", "198.51.100.7", meta), flow("198.51.100.8", "198.51.100.7", Map.of()),
                flow("10.1.1.1", "10.2.2.2", Map.of("another.unknown", 1))};
        PrivacyGuard.Counters[] counters = new PrivacyGuard.Counters[2];
        List<Map<String, Long>> dropped = new java.util.ArrayList<>();
        List<String> closing = new java.util.ArrayList<>();
        for (int withSink = 0; withSink < 2; withSink++) {
            PrivacyPolicy p = policy().withAuditLog(dir.resolve("audit-" + withSink + ".log"));
            List<FlowSink> sinks = withSink == 1 ? List.of(new CollectingSink()) : List.of();
            try (PrivacyGuard g = new PrivacyGuard(p, AuditLog.open(p.auditLog()), sinks)) {
                assertThat(g.releasesFlows()).isEqualTo(withSink == 1);
                for (FlowRecord r : records) {
                    g.emit(r);
                }
                counters[withSink] = g.counters();
                dropped.add(g.droppedFields());
            }
            List<String> lines = Files.readAllLines(p.auditLog());
            String last = lines.get(lines.size() - 1);
            closing.add(last.substring(last.indexOf("\"details\""), last.indexOf("\"event\"")));
        }
        assertThat(counters[0]).isEqualTo(counters[1]);
        assertThat(counters[0].flowsReleased()).isEqualTo(3);
        assertThat(counters[0].flowsPseudonymised()).isEqualTo(2);
        assertThat(dropped.get(0)).isEqualTo(dropped.get(1)).containsOnlyKeys("no.such.field", "another.unknown");
        assertThat(closing.get(0)).isEqualTo(closing.get(1)).contains("\"records_with_pseudonyms\":2");
    }

    @Test
    void subscriberAddressesArePseudonymisedAndServersStayVisible() throws Exception {
        List<FlowRecord> out = run(policy(), flow("192.168.1.20", "198.51.100.7", Map.of()), flow("192.168.1.21", "198.51.100.7", Map.of()));
        assertThat(out.get(0).dstIp()).isEqualTo("198.51.100.7");
        assertThat(out.get(0).srcIp()).isNotEqualTo("192.168.1.20");
        // prefix preserving: the two subscribers share 31 bits, so do their pseudonyms
        long a = out.get(0).srcLo() & 0xFFFF_FFFFL;
        long b = out.get(1).srcLo() & 0xFFFF_FFFFL;
        assertThat(Long.numberOfLeadingZeros(a ^ b) - 32).isEqualTo(31);
        assertThat(out.get(0).metadata()).containsKey("pseudonym_epoch");
    }

    @Test
    void pseudonymsAreStableWithinAnEpochAndChangeAcrossEpochs() throws Exception {
        FlowRecord day1 = flow("10.1.2.3", "198.51.100.7", Map.of());
        FlowRecord day2 = new FlowRecord("UDP", day1.srcHi(), day1.srcLo(), 1, day1.dstHi(), day1.dstLo(), 2, 0, null, "SIP", "SIP",
                "VoIP", "DPI", 1, 1, 1, 1, T + 86_400_000_000_000L, T + 86_400_000_000_000L, 0, 0, "idle", Map.of(), List.of());
        List<FlowRecord> out = run(policy(), day1, day1, day2);
        assertThat(out.get(0).srcIp()).isEqualTo(out.get(1).srcIp());
        assertThat(out.get(2).srcIp()).isNotEqualTo(out.get(0).srcIp());
    }

    @Test
    void personalFieldsAreMinimised() throws Exception {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("http.host", "example.org");
        meta.put("http.url", "/account/42?token=secret");
        meta.put("sip.from", "\"Alice Smith\" <sip:+4930123456@10.0.0.5;user=phone>;tag=abc");
        meta.put("sip.to", "<sip:112@192.168.0.1>");
        meta.put("sip.call_id", "a84b4c76e66710@10.0.0.5");
        meta.put("dhcp.hostname", "alices-laptop");
        meta.put("smtp.rcpt_to", "bob@example.net");
        meta.put("dns.answers", List.of("10.0.0.77", "93.184.216.34"));
        meta.put("dns.query", "77.0.0.10.in-addr.arpa");
        meta.put("ftp.password", "hunter2");
        meta.put("newproto.unlisted", "whatever");
        FlowRecord r = run(policy(), flow("10.0.0.5", "198.51.100.7", meta)).getFirst();
        Map<String, Object> m = r.metadata();
        String all = m.toString();
        assertThat(m.get("http.host")).isEqualTo("example.org");
        assertThat(m).doesNotContainKeys("http.url", "dhcp.hostname", "ftp.password", "newproto.unlisted");
        assertThat(all).doesNotContain("4930123456", "Alice", "10.0.0.5", "10.0.0.77", "77.0.0.10", "bob@", "secret", "hunter2");
        assertThat((String) m.get("sip.from")).startsWith("sip:u-").contains("@");
        assertThat((String) m.get("sip.to")).startsWith("sip:112@"); // emergency and service numbers stay readable
        assertThat((String) m.get("sip.call_id")).startsWith("t-");
        assertThat(m.get("dns.answers").toString()).contains("93.184.216.34");
        assertThat((String) m.get("smtp.rcpt_to")).endsWith("@example.net");
        // an XMPP stream's 'to' is the server's domain and stays; a JID's user part is tokenised
        Map<String, Object> xmpp = new LinkedHashMap<>();
        xmpp.put("jabber.to", "cs-xmpp.lan");
        assertThat(run(policy(), flow("10.0.0.5", "198.51.100.7", xmpp)).getFirst().metadata()).containsEntry("jabber.to", "cs-xmpp.lan");
        xmpp.put("jabber.to", "alice@cs-xmpp.lan/phone");
        assertThat((String) run(policy(), flow("10.0.0.5", "198.51.100.7", xmpp)).getFirst().metadata().get("jabber.to"))
                .startsWith("u-").endsWith("@cs-xmpp.lan").doesNotContain("alice", "phone");
    }

    @Test
    void identifiedModeNeedsAnAuthorisationAndStaysWithinItsScope() throws Exception {
        assertThatThrownBy(() -> new PrivacyGuard(policy().withMode(PrivacyMode.IDENTIFIED), AuditLog.open(dir.resolve("a.log")), List.of()))
                .hasMessageContaining("authorisation");
        Path auth = dir.resolve("auth.txt");
        Files.writeString(auth, "scope: 10.0.0.0/24\nfrom: 2024-05-01T00:00:00Z\nuntil: 2024-06-30T00:00:00Z\n"
                + "purpose: fault investigation\nreference: NOC-4711\n");
        PrivacyPolicy p = policy().withAuthorisation(Authorisation.load(auth)).withMode(PrivacyMode.IDENTIFIED);
        List<FlowRecord> out = run(p, flow("10.0.0.5", "198.51.100.7", Map.of()), flow("10.0.1.5", "198.51.100.7", Map.of()));
        assertThat(out.get(0).srcIp()).isEqualTo("10.0.0.5");
        assertThat(out.get(1).srcIp()).isNotEqualTo("10.0.1.5");
        String log = Files.readString(p.auditLog());
        assertThat(log).contains("identified_run_authorised", "NOC-4711", "records_released_identified");
        Files.writeString(auth, "scope: 10.0.0.0/24\npurpose: x\n");
        assertThatThrownBy(() -> Authorisation.load(auth)).hasMessageContaining("'from' is missing");
    }

    @Test
    void narrowingTheSubscriberNetworksIsAudited() throws Exception {
        run(policy().withSubscribers(SubscriberNetworks.parse("10.0.0.0/8")));
        assertThat(Files.readString(dir.resolve("audit.log"))).contains("subscriber_networks_narrowed", "192.168.0.0/16");
    }

    @Test
    void sinksCanOnlyBeFedReleasedRecordsWhichOnlyTheGuardMakes() throws Exception {
        for (Class<?> k : List.of(Released.class, Released.Issuer.class)) {
            assertThat(Modifier.isFinal(k.getModifiers())).as(k.toString()).isTrue();
            for (var c : k.getDeclaredConstructors()) {
                assertThat(Modifier.isPrivate(c.getModifiers())).as(c.toString()).isTrue();
            }
        }
        for (Method m : FlowSink.class.getDeclaredMethods()) {
            for (Class<?> p : m.getParameterTypes()) {
                assertThat(p).as(m.toString()).isEqualTo(Released.class);
            }
        }
        // the capability to release is handed to the guard class only
        assertThatThrownBy(Released.Issuer::claim).isInstanceOf(IllegalCallerException.class)
                .hasMessageContaining(PrivacyGuard.class.getName());
        // and in the main code only the guard asks for it
        try (var files = Files.walk(Path.of("src/main/java/org/fathom"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                String name = f.getFileName().toString();
                if (name.equals("PrivacyGuard.java") || name.equals("Released.java")) {
                    continue;
                }
                // (arrays of Released, as in a sink's queue, are fine: they hold released records)
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain("Issuer")
                        .doesNotContainPattern("\\bnew\\s+Released\\s*(<[^>]*>)?\\s*\\(");
            }
        }
    }
}
