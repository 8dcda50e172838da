package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.cli.AnalyzeCommandTest.fathom;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fathom.privacy.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze --store}, {@code query}, {@code --retention}, and the web options' refusals, end to end. */
class StoreCommandTest {
    static final Path CORPUS = Files.isDirectory(Path.of("../../shared/corpus/ndpi/pcap"))
            ? Path.of("../../shared/corpus/ndpi/pcap") : Path.of("../../../shared/corpus/ndpi/pcap");
    /** SIP calls with RTP and T.38 (2008-12-05). */
    static final Path FAX = CORPUS.resolve("FAX-Call-t38-CA-TDM-SIP-FB-1.pcap");
    /** A port scan (2010-07-04). */
    static final Path SCAN = CORPUS.resolve("synscan.pcap");

    static final Path SAMPLE = Path.of("..", "samples", "http-loopback.pcap");

    @TempDir
    Path dir;

    private String[] privacy() {
        return new String[] {"--audit-log", dir.resolve("audit.log").toString(), "--key-file", dir.resolve("key").toString()};
    }

    private AnalyzeCommandTest.Run analyze(String... args) {
        List<String> a = new ArrayList<>(List.of("analyze", "-q"));
        a.addAll(List.of(args));
        a.addAll(List.of(privacy()));
        return fathom(a.toArray(String[]::new));
    }

    private static long lines(Path jsonl, String type) throws Exception {
        return Files.readAllLines(jsonl).stream().filter(l -> l.contains("\"type\":\"" + type + "\"")).count();
    }

    @Test
    void analyzeFillsTheStoreAndQueryPrintsTablesAndJsonLines() throws Exception {
        assumeTrue(Files.isRegularFile(FAX) && Files.isRegularFile(SCAN), "corpus captures are not here");
        Path store = dir.resolve("store");
        AnalyzeCommandTest.Run r = analyze(FAX.toString(), SCAN.toString(), "--store", store.toString(),
                "--flows", dir.resolve("flows.jsonl").toString(), "--calls", dir.resolve("calls.jsonl").toString(),
                "--alerts", dir.resolve("alerts.jsonl").toString());
        assertThat(r.status()).as(r.err()).isZero();

        AnalyzeCommandTest.Run q = fathom("query", "--store", store.toString(), "--json",
                "SELECT (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM calls) AS calls,"
                        + " (SELECT count(*) FROM alerts) AS alerts, (SELECT sum(flows) FROM traffic_minute) AS minute_flows");
        assertThat(q.status()).as(q.err()).isZero();
        long flows = lines(dir.resolve("flows.jsonl"), "flow");
        long calls = lines(dir.resolve("calls.jsonl"), "call");
        long alerts = lines(dir.resolve("alerts.jsonl"), "alert");
        assertThat(calls).isPositive();
        assertThat(alerts).isPositive();
        assertThat(q.out().strip()).isEqualTo("{\"flows\":" + flows + ",\"calls\":" + calls + ",\"alerts\":" + alerts
                + ",\"minute_flows\":" + flows + "}");

        // every stored flow is a released line: the same client, server and application multiset
        List<String> fromFile = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("flows.jsonl"))) {
            if (l.contains("\"type\":\"flow\"")) {
                fromFile.add(field(l, "src_ip") + " " + field(l, "dst_ip") + " " + field(l, "application"));
            }
        }
        AnalyzeCommandTest.Run all = fathom("query", "--store", store.toString(), "--json",
                "SELECT src_ip || ' ' || dst_ip || ' ' || application AS k FROM flows");
        List<String> fromStore = new ArrayList<>(all.out().lines().map(l -> field(l, "k")).toList());
        java.util.Collections.sort(fromFile);
        java.util.Collections.sort(fromStore);
        assertThat(fromStore).isEqualTo(fromFile);

        // a table: header, rule, rows aligned, a count
        AnalyzeCommandTest.Run t = fathom("query", "--store", store.toString(),
                "SELECT outcome, count(*) AS calls FROM calls GROUP BY 1 ORDER BY 1");
        assertThat(t.status()).isZero();
        List<String> rows = t.out().lines().toList();
        assertThat(rows.get(0)).matches("outcome +calls");
        assertThat(rows.get(1)).matches("-+ +-+");
        assertThat(rows.get(0).length()).isEqualTo(rows.get(1).length());
        assertThat(rows.getLast()).matches("\\(\\d+ rows?\\)");
        for (String row : rows.subList(2, rows.size() - 1)) {
            assertThat(row.length()).isEqualTo(rows.get(1).length());   // numbers right-aligned to the rule
        }

        // the documented example queries run
        for (String example : List.of(
                "SELECT date_trunc('hour', start_time) AS hour, count(*) FILTER (WHERE outcome = 'dropped') AS dropped, count(*) AS calls FROM calls GROUP BY 1 ORDER BY 1",
                "SELECT application, sum(bytes_c2s + bytes_s2c) AS bytes FROM flows GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
                "SELECT round(100.0 * sum(bytes) FILTER (WHERE category = 'Unknown') / sum(bytes), 1) AS unknown_pct FROM traffic_minute")) {
            AnalyzeCommandTest.Run e = fathom("query", "--store", store.toString(), example);
            assertThat(e.status()).as(example + ": " + e.err()).isZero();
        }
    }

    @Test
    void queryErrorsAreOneLineWithStatusTwo() throws Exception {
        AnalyzeCommandTest.Run none = fathom("query", "--store", dir.resolve("nothing").toString(), "SELECT 1");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.errLines()).containsExactly("fathom: store " + dir.resolve("nothing") + ": no such folder");
        Files.createDirectories(dir.resolve("empty"));
        assertThat(fathom("query", "--store", dir.resolve("empty").toString(), "SELECT 1").errLines()).singleElement()
                .asString().contains("no store here");

        Path store = dir.resolve("store");
        assertThat(analyze(SAMPLE.toString(), "--store", store.toString()).status()).isZero();
        AnalyzeCommandTest.Run bad = fathom("query", "--store", store.toString(), "SELEC count(*) FROM flows");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.errLines()).singleElement().asString().startsWith("fathom: query: Parser Error: syntax error");
        AnalyzeCommandTest.Run table = fathom("query", "--store", store.toString(), "SELECT * FROM flws");
        assertThat(table.status()).isEqualTo(2);
        assertThat(table.errLines()).singleElement().asString().contains("flws");
        AnalyzeCommandTest.Run write = fathom("query", "--store", store.toString(), "DELETE FROM flows");
        assertThat(write.status()).isEqualTo(2);
        assertThat(write.errLines()).singleElement().asString().contains("read-only");
        AnalyzeCommandTest.Run copy = fathom("query", "--store", store.toString(), "COPY (SELECT 1 AS a) TO '" + dir.resolve("x.csv") + "'");
        assertThat(copy.status()).isEqualTo(2);
        assertThat(dir.resolve("x.csv")).doesNotExist();
        Files.writeString(dir.resolve("other.csv"), "a\n1\n");
        assertThat(fathom("query", "--store", store.toString(), "SELECT * FROM read_csv('" + dir.resolve("other.csv") + "')")
                .status()).isEqualTo(2);
        assertThat(fathom("query", "--store", store.toString(), "--json", "SELECT count(*) AS n FROM flows").out().strip())
                .isEqualTo("{\"n\":6}");
    }

    @Test
    void retentionDeletesOlderRecordsAndTheAuditLogSaysSo() throws Exception {
        assumeTrue(Files.isRegularFile(FAX) && Files.isRegularFile(SCAN), "corpus captures are not here");
        Path store = dir.resolve("store");
        assertThat(analyze(FAX.toString(), "--store", store.toString()).status()).isZero();
        AnalyzeCommandTest.Run before = fathom("query", "--store", store.toString(), "--json", "SELECT count(*) AS n FROM calls");
        assertThat(before.out().strip()).isEqualTo("{\"n\":2}");
        // the scan is 19 months later: with 30 days kept, the calls of 2008 go
        AnalyzeCommandTest.Run r = analyze(SCAN.toString(), "--store", store.toString(), "--retention", "30d");
        assertThat(r.status()).as(r.err()).isZero();
        AnalyzeCommandTest.Run after = fathom("query", "--store", store.toString(), "--json",
                "SELECT (SELECT count(*) FROM calls) AS calls, (SELECT count(*) FROM alerts) AS alerts,"
                        + " (SELECT count(*) FROM flows WHERE last_seen < TIMESTAMP '2010-01-01') AS old_flows,"
                        + " (SELECT count(*) FROM call_minute) AS call_minutes");
        assertThat(after.out().strip()).isEqualTo("{\"calls\":0,\"alerts\":1,\"old_flows\":0,\"call_minutes\":0}");
        List<String> audit = Files.readAllLines(dir.resolve("audit.log"));
        assertThat(audit).filteredOn(l -> l.contains("\"event\":\"store_retention\"")).singleElement().asString()
                .contains("\"calls_deleted\":2").contains("\"retention\":\"30d\"").contains("\"store\":\"" + store + "\"");
        assertThat(AuditLog.verify(dir.resolve("audit.log")).ok()).isTrue();

        AnalyzeCommandTest.Run bad = analyze(SCAN.toString(), "--store", store.toString(), "--retention", "soon");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly("fathom: --retention: bad duration 'soon' (e.g. 30s, 15m, 1h, 1d)");
        AnalyzeCommandTest.Run noStore = analyze(SCAN.toString(), "--retention", "1d");
        assertThat(noStore.status()).isEqualTo(2);
        assertThat(noStore.errLines()).containsExactly("fathom: --retention needs --store DIR");
    }

    @Test
    void webOptionsRefuseWhatIsUnsafeOrWrong() throws Exception {
        Path store = dir.resolve("store");
        assertThat(analyze(SAMPLE.toString(), "--store", store.toString()).status()).isZero();
        AnalyzeCommandTest.Run open = fathom("serve", "--store", store.toString(), "--http", "0.0.0.0:0");
        assertThat(open.status()).isEqualTo(2);
        assertThat(open.errLines()).singleElement().asString()
                .startsWith("fathom: --http 0.0.0.0:0 is not a loopback address: give --http-users FILE");
        assertThat(fathom("serve", "--store", store.toString(), "--http", "127.0.0.1:0", "--http-tls-cert", "c.pem")
                .errLines()).containsExactly("fathom: --http-tls-cert and --http-tls-key go together");
        assertThat(fathom("serve", "--store", store.toString(), "--http", "localhost").errLines()).singleElement().asString()
                .contains("expected ADDR:PORT");
        assertThat(fathom("serve", "--store", store.toString(), "--http", "::1:80").errLines()).singleElement().asString()
                .contains("in brackets");
        assertThat(fathom("serve", "--store", store.toString()).errLines())
                .containsExactly("fathom: give the address to serve on: --http ADDR:PORT (e.g. 127.0.0.1:8080)");
        assertThat(fathom("serve", "--store", dir.resolve("none").toString(), "--http", "127.0.0.1:0").errLines())
                .containsExactly("fathom: store " + dir.resolve("none") + ": no such folder");
        Path users = dir.resolve("users");
        Files.writeString(users, "alice:secret\n");
        assertThat(fathom("serve", "--store", store.toString(), "--http", "0.0.0.0:0", "--http-users", users.toString())
                .errLines()).singleElement().asString().contains(users + " line 1: expected NAME:pbkdf2-sha256");
        assertThat(fathom("live", "-r", SAMPLE.toString(), "--replay", "--http", "0.0.0.0:0").status()).isEqualTo(2);
    }

    @Test
    void aggregateModeFillsTheStoreWithAggregatesAndTheDashboardDrawsThem() throws Exception {
        assumeTrue(Files.isRegularFile(FAX), "corpus captures are not here");
        Path store = dir.resolve("store");
        AnalyzeCommandTest.Run r = analyze(FAX.toString(), "--store", store.toString(), "--privacy", "aggregate", "--k", "2");
        assertThat(r.status()).as(r.err()).isZero();
        AnalyzeCommandTest.Run q = fathom("query", "--store", store.toString(), "--json",
                "SELECT (SELECT count(*) FROM flows) AS flows, (SELECT count(*) FROM calls) AS calls,"
                        + " (SELECT count(*) > 0 FROM aggregates) AS aggregates, (SELECT mode FROM runs) AS mode");
        assertThat(q.out().strip()).isEqualTo("{\"flows\":0,\"calls\":0,\"aggregates\":true,\"mode\":\"aggregate\"}");
        try (org.fathom.store.Store s = org.fathom.store.Store.openReadOnly(store)) {
            String json = new org.fathom.web.Dashboard(s, false, null).overview(86400, java.time.Instant.now());
            assertThat(json).contains("\"source\":\"aggregates\"").contains("\"mode\":\"aggregate\"")
                    .doesNotContain("\"bytes\":0,");
        }
    }

    @Test
    void passwdMakesALineTheServerAccepts() throws Exception {
        InputStream in = System.in;
        AnalyzeCommandTest.Run r;
        try {
            System.setIn(new ByteArrayInputStream("correct horse\n".getBytes(StandardCharsets.UTF_8)));
            r = fathom("passwd", "alice");
        } finally {
            System.setIn(in);
        }
        assertThat(r.status()).isZero();
        String line = r.out().strip();
        assertThat(line).startsWith("alice:pbkdf2-sha256:310000:").doesNotContain("correct");
        Path users = dir.resolve("users");
        Files.writeString(users, line + "\n");
        assertThat(org.fathom.web.Users.load(users).check("alice", "correct horse")).isTrue();
        assertThat(org.fathom.web.Users.load(users).check("alice", "wrong")).isFalse();
    }

    /** A string field of a flat JSON line. */
    /**
     * A dry run with {@code --policy} fills the store's per-minute verdicts: flows, packets and
     * bytes per rule and action equal what the flow records of the same run carry, and the
     * dashboard's overview lists them.
     */
    @Test
    void policyVerdictsReachTheStoreAndTheDashboard() throws Exception {
        Path demo = Path.of("..", "samples", "demo.pcap");
        assumeTrue(Files.isRegularFile(demo), "the bundled sample is not here");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                policy:
                  name: store-test
                  rules:
                    - name: no-tls
                      match: { protocol: TLS }
                      action: block
                    - name: watch-dns
                      match: { protocol: DNS }
                      action: report
                  default: allow
                """);
        Path store = dir.resolve("store");
        Path flowsFile = dir.resolve("flows.jsonl");
        AnalyzeCommandTest.Run r = analyze(demo.toString(), "--policy", policy.toString(), "--store", store.toString(),
                "--flows", flowsFile.toString());
        assertThat(r.status()).as(r.err()).isZero();
        java.util.Map<String, long[]> expected = new java.util.TreeMap<>();
        for (String l : Files.readAllLines(flowsFile)) {
            if (l.contains("\"type\":\"flow\"")) {
                long[] v = expected.computeIfAbsent(field(l, "policy.rule") + "|" + field(l, "policy.action"), k -> new long[3]);
                v[0]++;
                v[1] += number(l, "packets_c2s") + number(l, "packets_s2c");
                v[2] += number(l, "bytes_c2s") + number(l, "bytes_s2c");
            }
        }
        assertThat(expected).containsKeys("no-tls|block", "watch-dns|report");
        AnalyzeCommandTest.Run q = fathom("query", "--store", store.toString(), "--json",
                "SELECT rule, action, sum(flows) AS f, sum(packets) AS p, sum(bytes) AS b FROM policy_minute GROUP BY 1, 2 ORDER BY 1, 2");
        assertThat(q.status()).as(q.err()).isZero();
        java.util.Map<String, long[]> stored = new java.util.TreeMap<>();
        for (String l : q.out().strip().split("\n")) {
            stored.put(field(l, "rule") + "|" + field(l, "action"), new long[] {number(l, "f"), number(l, "p"), number(l, "b")});
        }
        assertThat(stored.keySet()).isEqualTo(expected.keySet());
        for (String k : expected.keySet()) {
            assertThat(stored.get(k)).as(k).containsExactly(expected.get(k));
        }
        try (org.fathom.store.Store s = org.fathom.store.Store.openReadOnly(store)) {
            String json = new org.fathom.web.Dashboard(s, false, null).overview(2_592_000, java.time.Instant.now());
            assertThat(json).contains("\"rule\":\"no-tls\",\"action\":\"block\",\"flows\":" + expected.get("no-tls|block")[0]);
        }
    }

    private static long number(String line, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(key) + "\":(\\d+)").matcher(line);
        assertThat(m.find()).as(key + " in " + line).isTrue();
        return Long.parseLong(m.group(1));
    }

    static String field(String line, String key) {
        int i = line.indexOf("\"" + key + "\":\"");
        if (i < 0) {
            return null;
        }
        int s = i + key.length() + 4;
        return line.substring(s, line.indexOf('"', s));
    }
}
