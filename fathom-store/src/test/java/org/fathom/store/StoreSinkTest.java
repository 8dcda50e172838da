package org.fathom.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fathom.net.Addresses;
import org.fathom.net.Cidr;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyMode;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.AlertRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.CollectingSink;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSinkTest {
    @TempDir
    Path tmp;

    private static final long T0 = Instant.parse("2020-03-01T10:00:00Z").getEpochSecond() * 1_000_000_000L;

    private PrivacyPolicy policy(PrivacyMode mode) {
        return PrivacyPolicy.defaults().withMode(mode).withSubscribers(SubscriberNetworks.parse("10.0.0.0/8"))
                .withKeyFile(tmp.resolve("state/key")).withAuditLog(tmp.resolve("state/audit.log")).withK(2);
    }

    private static FlowRecord flow(String src, String dst, String app, String cat, long t, int flagsC, int flagsS, long pktS2c,
                                   List<String> risks) {
        long[] s = Cidr.parseAddress(src);
        long[] d = Cidr.parseAddress(dst);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("tls.sni", "example.org");
        return new FlowRecord("TCP", s[0], s[1], 40000, d[0], d[1], 443, 0, null, "TLS", app, cat, "DPI", 3, pktS2c, 300,
                pktS2c * 100, t, t + 1_000_000_000L, flagsC, flagsS, "fin", meta, risks);
    }

    /** Writes flows, calls and alerts of 10.1.0.x subscribers through a pseudonymising guard. */
    private CollectingSink fill(Path dir, PrivacyMode mode, int flows, Duration retention) throws Exception {
        Store store = Store.open(dir);
        PrivacyPolicy p = policy(mode);
        AuditLog audit = AuditLog.open(p.auditLog());
        StoreSink sink = new StoreSink(store, true, "test", audit, retention, retention == null ? null : retention.toDays() + "d");
        CollectingSink seen = new CollectingSink();
        try (PrivacyGuard guard = new PrivacyGuard(p, audit, List.of(sink, seen))) {
            for (int i = 0; i < flows; i++) {
                long t = T0 + (i % 30) * 60_000_000_000L;
                int kind = i % 4;   // answered, refused, unanswered, reset
                int c = 2 | 16;
                int s = kind == 1 ? 4 | 16 : kind == 3 ? 2 | 4 | 16 : 2 | 16;
                guard.emit(flow("10.1.0." + (i % 50 + 1), "93.184.216." + (i % 3 + 1), i % 2 == 0 ? "Google" : "Unknown",
                        i % 2 == 0 ? "Web" : "Unknown", t, c, s, kind == 2 ? 0 : 2, i % 5 == 0 ? List.of("obsolete_tls_version") : null));
            }
            long[] a = Cidr.parseAddress("10.1.0.7");
            long[] b = Cidr.parseAddress("198.51.100.5");
            guard.emitCall(new CallRecord("abc@10.1.0.7", "sip:alice@10.1.0.7", "sip:112@example.net", a[0], a[1], 5060, b[0], b[1],
                    5060, "UDP", T0, T0 + 2_000_000_000L, T0 + 60_000_000_000L, 900, 58, 200, "completed", "bye", true,
                    List.of(new CallRecord.MediaStream("caller_to_callee", "PCMA", 100, 1.0, 3.0, 40, 4.1))));
            guard.emitCall(new CallRecord("def@10.1.0.8", "sip:bob@10.1.0.8", "sip:carol@example.net", a[0], a[1] + 1, 5060, b[0],
                    b[1], 5060, "UDP", T0 + 120_000_000_000L, 0, T0 + 112_000_000_000L, -1, 0, 486, "busy", "final_response",
                    false, List.of()));
            guard.emitAlert(new AlertRecord("syn_flood", a[0], a[1], 80, "TCP", T0, T0 + 10_000_000_000L, 5000, 2e6, 50000, 3_000_000,
                    40, List.of(new long[] {b[0], b[1]}), 1200, null));
        }
        return seen;
    }

    @Test
    void recordsInAreRowsOutAndPseudonymousModeNeverStoresARawAddress() throws Exception {
        Path dir = tmp.resolve("store");
        CollectingSink seen = fill(dir, PrivacyMode.PSEUDONYMOUS, 12_000, null);
        assertThat(seen.flows()).hasSize(12_000);
        try (Store s = Store.openReadOnly(dir); Connection c = s.reader(); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count(*) FROM flows")).isEqualTo(12_000);
            assertThat(count(st, "SELECT count(*) FROM calls")).isEqualTo(2);
            assertThat(count(st, "SELECT count(*) FROM alerts")).isEqualTo(1);
            assertThat(count(st, "SELECT sum(flows) FROM traffic_minute")).isEqualTo(12_000);
            assertThat(count(st, "SELECT sum(bytes) FROM traffic_minute"))
                    .isEqualTo(seen.flows().stream().mapToLong(f -> f.bytesC2s() + f.bytesS2c()).sum());
            assertThat(count(st, "SELECT sum(tcp_refused) FROM traffic_minute")).isEqualTo(12_000 / 4);
            assertThat(count(st, "SELECT sum(tcp_unanswered) FROM traffic_minute")).isEqualTo(12_000 / 4);
            assertThat(count(st, "SELECT sum(tcp_reset) FROM traffic_minute")).isEqualTo(12_000 / 4);
            assertThat(count(st, "SELECT sum(risky) FROM traffic_minute")).isEqualTo(12_000 / 5);
            assertThat(count(st, "SELECT sum(attempts) FROM call_minute")).isEqualTo(2);
            assertThat(count(st, "SELECT sum(busy) FROM call_minute")).isEqualTo(1);
            assertThat(count(st, "SELECT sum(emergency) FROM call_minute")).isEqualTo(1);
            assertThat(count(st, "SELECT max(clients) FROM traffic_minute")).isGreaterThan(1);

            // every stored flow is the released one, in release order
            List<String> released = new ArrayList<>();
            for (FlowRecord f : seen.flows()) {
                released.add(f.srcIp() + " " + f.dstIp() + " " + f.application());
            }
            List<String> stored = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT src_ip, dst_ip, application FROM flows")) {
                while (rs.next()) {
                    stored.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
            java.util.Collections.sort(stored);
            java.util.Collections.sort(released);
            assertThat(stored).isEqualTo(released);

            // no raw subscriber address, user name or call id anywhere in the store
            Set<String> raw = new HashSet<>();
            for (int i = 1; i <= 50; i++) {
                raw.add("10.1.0." + i);
            }
            String all = allText(st);
            Set<String> tokens = new HashSet<>(List.of(all.split("[^0-9.]+")));
            assertThat(tokens).contains("93.184.216.1").doesNotContainAnyElementsOf(raw);
            assertThat(all).doesNotContain("alice").doesNotContain("bob").doesNotContain("abc@");
            assertThat(all).contains("93.184.216.1");   // servers are not subscribers: kept
            try (ResultSet rs = st.executeQuery("SELECT mode, k, flows, calls, alerts, key_epoch FROM runs")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("pseudonymous");
                assertThat(rs.getInt(2)).isEqualTo(2);
                assertThat(rs.getLong(3)).isEqualTo(12_000);
                assertThat(rs.getLong(4)).isEqualTo(2);
                assertThat(rs.getLong(5)).isEqualTo(1);
                assertThat(rs.getString(6)).isEqualTo("2020-03-01T00:00:00Z");
            }
        }
    }

    @Test
    void identifiedControlRunStoresTheRawAddressesSoTheCheckAboveCanFail() throws Exception {
        Path dir = tmp.resolve("store");
        Store store = Store.open(dir);
        PrivacyPolicy p = policy(PrivacyMode.PSEUDONYMOUS).withSubscribers(SubscriberNetworks.NONE);
        AuditLog audit = AuditLog.open(p.auditLog());
        try (PrivacyGuard guard = new PrivacyGuard(p, audit, List.of(new StoreSink(store, true, "test", audit, null, null)))) {
            guard.emit(flow("10.1.0.9", "93.184.216.1", "Google", "Web", T0, 2, 2, 1, null));
        }
        try (Store s = Store.openReadOnly(dir); Connection c = s.reader(); Statement st = c.createStatement()) {
            assertThat(allText(st)).contains("10.1.0.9");
        }
    }

    @Test
    void retentionDeletesOlderRecordsAndIsAudited() throws Exception {
        Path dir = tmp.resolve("store");
        fill(dir, PrivacyMode.PSEUDONYMOUS, 100, null);
        // a second run a month later, with a retention of 7 days: the first run's records go
        Store store = Store.open(dir);
        PrivacyPolicy p = policy(PrivacyMode.PSEUDONYMOUS);
        AuditLog audit = AuditLog.open(p.auditLog());
        long later = T0 + Duration.ofDays(31).toNanos();
        try (PrivacyGuard guard = new PrivacyGuard(p, audit, List.of(new StoreSink(store, true, "test", audit, Duration.ofDays(7), "7d")))) {
            guard.emit(flow("10.1.0.1", "93.184.216.1", "Google", "Web", later, 2, 2, 1, null));
        }
        try (Store s = Store.openReadOnly(dir); Connection c = s.reader(); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT count(*) FROM flows")).isEqualTo(1);
            assertThat(count(st, "SELECT count(*) FROM calls")).isZero();
            assertThat(count(st, "SELECT count(*) FROM alerts")).isZero();
            assertThat(count(st, "SELECT count(*) FROM traffic_minute")).isEqualTo(1);
            assertThat(count(st, "SELECT count(*) FROM call_minute")).isZero();
        }
        List<String> log = Files.readAllLines(p.auditLog());
        String entry = log.stream().filter(l -> l.contains("\"store_retention\"")).findFirst().orElseThrow();
        assertThat(entry).contains("\"flows_deleted\":100").contains("\"retention\":\"7d\"").contains("\"calls_deleted\":2");
        assertThat(AuditLog.verify(p.auditLog()).ok()).isTrue();
    }

    @Test
    void missingStoreAndStoreInUseAreOneLineErrors() throws Exception {
        assertThatThrownBy(() -> Store.openReadOnly(tmp.resolve("none"))).isInstanceOf(StoreException.class)
                .hasMessage("store " + tmp.resolve("none") + ": no such folder");
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> Store.openReadOnly(tmp.resolve("empty"))).hasMessageContaining("no store here");
        Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> Store.open(tmp.resolve("file"))).hasMessageContaining("is not a folder");
        Files.createDirectories(tmp.resolve("junk"));
        Files.writeString(tmp.resolve("junk").resolve(Store.FILE), "not a database");
        assertThatThrownBy(() -> Store.openReadOnly(tmp.resolve("junk"))).isInstanceOf(StoreException.class)
                .hasMessageNotContaining("\n");
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every text value of every table, one per line. */
    private static String allText(Statement st) throws Exception {
        StringBuilder b = new StringBuilder();
        for (String table : List.of("runs", "flows", "calls", "alerts", "aggregates", "traffic_minute", "call_minute")) {
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        b.append(rs.getString(i)).append('\n');
                    }
                }
            }
        }
        return b.toString();
    }

    static {
        assert Addresses.class != null;
    }
}
