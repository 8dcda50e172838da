package org.fathom.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.fathom.privacy.AuditLog;
import org.fathom.store.Store;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The overview dashboard over a {@link Store}: the page ({@code /}, its script and the bundled
 * uPlot) and the JSON it draws ({@code /api/overview?range=SECONDS}). Everything it answers is a
 * sum over time buckets or a count; applications and categories are named only when some minute
 * of them in the range had at least k distinct subscriber clients (k of the runs that filled the
 * store), or none at all; the rest is summed as "(suppressed)". The one per-record list is the attacks (kind, target, size),
 * whose target is the address as the guard released it (a pseudonym for a subscriber).
 */
public final class Dashboard {
    /** The ranges the page offers, in seconds: 15 minutes to 30 days. */
    public static final long[] RANGES = {900, 3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400};
    static final int MAX_POINTS = 120;
    static final int TOP_APPLICATIONS = 8;
    static final String SUPPRESSED = "(suppressed)";
    static final String OTHER = "(other)";
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/";

    private final Store store;
    private final boolean live;
    private final Supplier<Map<String, Object>> status;
    private volatile AuditCache audit;

    private record AuditCache(Path file, long at, AuditLog.Verification v, String error) {}

    /**
     * @param live   the store is being filled now: the range ends now and the page refreshes itself
     * @param status live counters to show (may be null)
     */
    public Dashboard(Store store, boolean live, Supplier<Map<String, Object>> status) {
        this.store = store;
        this.live = live;
        this.status = status;
    }

    /** The dashboard's routes, to mount on a {@link WebServer} with any others. */
    public Map<String, HttpHandler> routes() {
        Map<String, HttpHandler> r = new LinkedHashMap<>();
        r.put("/", this::page);
        r.put("/api/overview", this::overview);
        return r;
    }

    private void page(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        switch (path) {
            case "/", "/index.html" -> resource(x, "/org/fathom/web/index.html", "text/html; charset=utf-8");
            case "/dashboard.js" -> resource(x, "/org/fathom/web/dashboard.js", "text/javascript; charset=utf-8");
            case "/dashboard.css" -> resource(x, "/org/fathom/web/dashboard.css", "text/css; charset=utf-8");
            case "/uplot/uPlot.iife.min.js" -> resource(x, UPLOT + "dist/uPlot.iife.min.js", "text/javascript; charset=utf-8");
            case "/uplot/uPlot.min.css" -> resource(x, UPLOT + "dist/uPlot.min.css", "text/css; charset=utf-8");
            case "/uplot/LICENSE" -> resource(x, UPLOT + "LICENSE", "text/plain; charset=utf-8");
            default -> WebServer.send(x, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void resource(HttpExchange x, String name, String type) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                WebServer.send(x, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            WebServer.send(x, 200, type, in.readAllBytes());
        }
    }

    private void overview(HttpExchange x) throws IOException {
        long range = 3600;
        String q = x.getRequestURI().getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                if (kv.startsWith("range=")) {
                    try {
                        range = Long.parseLong(kv.substring(6));
                    } catch (NumberFormatException e) {
                        range = -1;
                    }
                }
            }
        }
        final long asked = range;
        if (java.util.Arrays.stream(RANGES).noneMatch(r -> r == asked)) {
            WebServer.send(x, 400, "text/plain; charset=utf-8", "range must be one of 900, 3600, 21600, 86400, 604800, 2592000\n"
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body;
        try {
            body = overview(range, Instant.now()).getBytes(StandardCharsets.UTF_8);
        } catch (SQLException e) {
            WebServer.send(x, 503, "text/plain; charset=utf-8", ("store unavailable: " + Store.oneLine(e) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        WebServer.send(x, 200, "application/json", body);
    }

    /** The overview of the {@code range} seconds up to now (live) or up to the store's newest record. */
    public String overview(long range, Instant now) throws SQLException {
        try (Connection c = store.reader()) {
            Instant newest = Store.newest(c);
            // live: the range ends now, unless the newest record is older than the whole range (a
            // replayed capture keeps its own clock, a link quiet for longer than the range): then, as
            // for a stored run, it ends at the newest record
            Instant end = newest == null || live && newest.isAfter(now.minusSeconds(range)) ? now : newest;
            if (end.isAfter(now) && live) {
                end = now;
            }
            long step = Math.max(60, (range / MAX_POINTS + 59) / 60 * 60);
            long to = Math.floorDiv(end.getEpochSecond() + step - 1, step) * step;
            long from = to - range;
            int n = (int) ((to - from) / step);
            StringWriter w = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), w)) {
                g.writeStartObject();
                g.writeNumberProperty("from", from);
                g.writeNumberProperty("to", to);
                g.writeNumberProperty("step", step);
                g.writeBooleanProperty("live", live);
                g.writeStringProperty("generated", now.toString());
                g.writeName("times");
                g.writeStartArray();
                for (int i = 0; i < n; i++) {
                    g.writeNumber(from + i * step);
                }
                g.writeEndArray();
                Privacy p = privacy(c);
                traffic(g, c, from, to, step, n, p.k());
                calls(g, c, from, to, step, n);
                alerts(g, c, from, to, step, n);
                policy(g, c, from, to);
                writePrivacy(g, p);
                if (status != null) {
                    g.writeName("status");
                    g.writeStartObject();
                    for (Map.Entry<String, Object> e : status.get().entrySet()) {
                        g.writeName(e.getKey());
                        if (e.getValue() instanceof Number num) {
                            g.writeNumber(num.longValue());
                        } else {
                            g.writeString(String.valueOf(e.getValue()));
                        }
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            return w.toString();
        }
    }

    private static LocalDateTime ts(long epochSecond) {
        return LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    }

    private static PreparedStatement ranged(Connection c, String sql, long from, long to) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setObject(1, ts(from));
        ps.setObject(2, ts(to));
        return ps;
    }

    /**
     * Aggregate mode releases no flows, only the guard's aggregate rows (already k-suppressed, with
     * their own "(suppressed)" row): then the traffic comes from those, by their bucket.
     */
    private static final String FROM_AGGREGATES = "(SELECT bucket_start AS minute, category, application, flows,"
            + " bytes_up + bytes_down AS bytes, 2147483647 AS clients, 0 AS tcp_refused, 0 AS tcp_reset, 0 AS tcp_unanswered,"
            + " 0 AS risky FROM aggregates WHERE protocol <> '*')";

    private static String trafficSource(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement ps = ranged(c, "SELECT (SELECT count(*) FROM traffic_minute WHERE minute >= ? AND minute < ?) = 0"
                + " AND EXISTS (SELECT 1 FROM aggregates)", from, to); ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1) ? FROM_AGGREGATES : "traffic_minute";
        }
    }

    private void traffic(JsonGenerator g, Connection c, long from, long to, long step, int n, int k) throws SQLException {
        String source = trafficSource(c, from, to);
        // which names may be shown: some minute of the group had at least k distinct clients
        Map<String, Long> appBytes = new HashMap<>();
        Set<String> shownApps = new java.util.HashSet<>();
        Set<String> shownCats = new java.util.HashSet<>();
        try (PreparedStatement ps = ranged(c, "SELECT application, category, max(clients), sum(bytes) FROM " + source
                + " WHERE minute >= ? AND minute < ? GROUP BY 1, 2", from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getInt(3) >= k || rs.getInt(3) == 0) {   // 0: no subscriber in it
                    shownApps.add(rs.getString(1));
                    appBytes.merge(rs.getString(1), rs.getLong(4), Long::sum);
                }
            }
        }
        try (PreparedStatement ps = ranged(c, "SELECT category, max(clients) FROM " + source
                + " WHERE minute >= ? AND minute < ? GROUP BY 1", from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getInt(2) >= k || rs.getInt(2) == 0) {
                    shownCats.add(rs.getString(1));
                }
            }
        }
        List<String> top = appBytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(TOP_APPLICATIONS).map(Map.Entry::getKey).toList();
        Map<String, long[]> cats = new TreeMap<>();
        Map<String, long[]> apps = new LinkedHashMap<>();
        for (String a : top) {
            apps.put(a, new long[n]);
        }
        long[] unknown = new long[n];
        long[] total = new long[n];
        long[] refused = new long[n], reset = new long[n], unanswered = new long[n], risky = new long[n], flows = new long[n];
        long suppressedGroups = 0;
        Set<String> suppressedNames = new java.util.HashSet<>();
        try (PreparedStatement ps = ranged(c, "SELECT epoch(minute)::BIGINT, category, application, flows, bytes, tcp_refused,"
                + " tcp_reset, tcp_unanswered, risky FROM " + source + " WHERE minute >= ? AND minute < ?", from, to);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int i = (int) ((rs.getLong(1) - from) / step);
                if (i < 0 || i >= n) {
                    continue;
                }
                String cat = rs.getString(2);
                String app = rs.getString(3);
                long bytes = rs.getLong(5);
                flows[i] += rs.getLong(4);
                total[i] += bytes;
                if ("Unknown".equals(cat) || "Unknown".equals(app)) {
                    unknown[i] += bytes;
                }
                cats.computeIfAbsent(shownCats.contains(cat) ? cat : SUPPRESSED, z -> new long[n])[i] += bytes;
                String a = top.contains(app) ? app : shownApps.contains(app) ? OTHER : SUPPRESSED;
                if (a.equals(SUPPRESSED) && suppressedNames.add(app)) {
                    suppressedGroups++;
                }
                apps.computeIfAbsent(a, z -> new long[n])[i] += bytes;
                refused[i] += rs.getLong(6);
                reset[i] += rs.getLong(7);
                unanswered[i] += rs.getLong(8);
                risky[i] += rs.getLong(9);
            }
        }
        g.writeName("traffic");
        g.writeStartObject();
        g.writeNumberProperty("k", k);
        g.writeStringProperty("source", source.equals("traffic_minute") ? "flows" : "aggregates");
        g.writeNumberProperty("suppressed_applications", suppressedGroups);
        g.writeNumberProperty("bytes", sum(total));
        g.writeNumberProperty("flows", sum(flows));
        g.writeNumberProperty("unknown_bytes", sum(unknown));
        series(g, "categories", cats);
        series(g, "applications", apps);
        g.writeName("unknown_share");
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
            if (total[i] == 0) {
                g.writeNull();
            } else {
                g.writeNumber(Math.round(1000.0 * unknown[i] / total[i]) / 10.0);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
        Map<String, long[]> issues = new LinkedHashMap<>();
        issues.put("tcp_refused", refused);
        issues.put("tcp_reset", reset);
        issues.put("tcp_unanswered", unanswered);
        issues.put("risky_flows", risky);
        g.writeName("issues");
        g.writeStartObject();
        for (Map.Entry<String, long[]> e : issues.entrySet()) {
            g.writeNumberProperty(e.getKey() + "_total", sum(e.getValue()));
        }
        series(g, "series", issues);
        g.writeEndObject();
    }

    private void calls(JsonGenerator g, Connection c, long from, long to, long step, int n) throws SQLException {
        String[] cols = {"attempts", "answered", "completed", "dropped", "blocked", "busy", "no_answer", "cancelled", "redirected",
                "in_progress", "emergency", "emergency_answered"};
        Map<String, long[]> s = new LinkedHashMap<>();
        for (String col : cols) {
            s.put(col, new long[n]);
        }
        try (PreparedStatement ps = ranged(c, "SELECT epoch(minute)::BIGINT, " + String.join(", ", cols)
                + " FROM call_minute WHERE minute >= ? AND minute < ?", from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int i = (int) ((rs.getLong(1) - from) / step);
                if (i < 0 || i >= n) {
                    continue;
                }
                for (int j = 0; j < cols.length; j++) {
                    s.get(cols[j])[i] += rs.getLong(j + 2);
                }
            }
        }
        g.writeName("calls");
        g.writeStartObject();
        Map<String, Long> t = new LinkedHashMap<>();
        for (String col : cols) {
            t.put(col, sum(s.get(col)));
        }
        g.writeName("totals");
        g.writeStartObject();
        for (Map.Entry<String, Long> e : t.entrySet()) {
            g.writeNumberProperty(e.getKey(), e.getValue());
        }
        long decided = t.get("attempts") - t.get("in_progress");
        if (decided > 0) {
            g.writeNumberProperty("asr", Math.round(1000.0 * t.get("answered") / decided) / 10.0);
            g.writeNumberProperty("ner", Math.round(1000.0 * (t.get("answered") + t.get("busy") + t.get("no_answer")
                    + t.get("cancelled") + t.get("redirected")) / decided) / 10.0);
        } else {
            g.writeNullProperty("asr");
            g.writeNullProperty("ner");
        }
        g.writeEndObject();
        Map<String, long[]> plotted = new LinkedHashMap<>();
        for (String col : new String[] {"attempts", "answered", "blocked", "dropped"}) {
            plotted.put(col, s.get(col));
        }
        series(g, "series", plotted);
        // post-dial delay and MOS distributions, emergency outcomes: counts over the calls of the range
        histogram(g, c, "pdd_ms", "SELECT CASE WHEN pdd_ms < 500 THEN 0 WHEN pdd_ms < 1000 THEN 1 WHEN pdd_ms < 2000 THEN 2"
                + " WHEN pdd_ms < 4000 THEN 3 WHEN pdd_ms < 8000 THEN 4 ELSE 5 END, count(*) FROM calls"
                + " WHERE pdd_ms IS NOT NULL AND start_time >= ? AND start_time < ? GROUP BY 1",
                new String[] {"<0.5 s", "0.5-1 s", "1-2 s", "2-4 s", "4-8 s", ">=8 s"}, from, to);
        histogram(g, c, "mos", "SELECT CASE WHEN mos >= 4.3 THEN 5 WHEN mos >= 4.0 THEN 4 WHEN mos >= 3.6 THEN 3"
                + " WHEN mos >= 3.1 THEN 2 WHEN mos >= 2.6 THEN 1 ELSE 0 END, count(*) FROM calls"
                + " WHERE mos IS NOT NULL AND start_time >= ? AND start_time < ? GROUP BY 1",
                new String[] {"<2.6", "2.6-3.1", "3.1-3.6", "3.6-4.0", "4.0-4.3", ">=4.3"}, from, to);
        g.writeName("emergency_outcomes");
        g.writeStartObject();
        try (PreparedStatement ps = ranged(c, "SELECT outcome, count(*) FROM calls WHERE emergency AND start_time >= ?"
                + " AND start_time < ? GROUP BY 1 ORDER BY 2 DESC, 1", from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                g.writeNumberProperty(String.valueOf(rs.getString(1)), rs.getLong(2));
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void histogram(JsonGenerator g, Connection c, String name, String sql, String[] labels, long from, long to)
            throws SQLException {
        long[] counts = new long[labels.length];
        try (PreparedStatement ps = ranged(c, sql, from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts[rs.getInt(1)] += rs.getLong(2);
            }
        }
        g.writeName(name);
        g.writeStartObject();
        g.writeName("labels");
        g.writeStartArray();
        for (String l : labels) {
            g.writeString(l);
        }
        g.writeEndArray();
        g.writeName("counts");
        g.writeStartArray();
        for (long v : counts) {
            g.writeNumber(v);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * The policy's verdicts over the range (a run with {@code --policy}): flows, packets and bytes
     * per rule and action, rules being the operator's names, not personal data.
     */
    private void policy(JsonGenerator g, Connection c, long from, long to) throws SQLException {
        g.writeName("policy");
        g.writeStartArray();
        try (PreparedStatement ps = ranged(c, "SELECT rule, action, sum(flows), sum(packets), sum(bytes) FROM policy_minute"
                + " WHERE minute >= ? AND minute < ? GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2", from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                g.writeStartObject();
                g.writeStringProperty("rule", rs.getString(1));
                g.writeStringProperty("action", rs.getString(2));
                g.writeNumberProperty("flows", rs.getLong(3));
                g.writeNumberProperty("packets", rs.getLong(4));
                g.writeNumberProperty("bytes", rs.getLong(5));
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private void alerts(JsonGenerator g, Connection c, long from, long to, long step, int n) throws SQLException {
        Map<String, long[]> kinds = new TreeMap<>();
        long total = 0;
        try (PreparedStatement ps = ranged(c, "SELECT epoch(start_time)::BIGINT, kind FROM alerts WHERE start_time >= ? AND start_time < ?",
                from, to); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int i = (int) ((rs.getLong(1) - from) / step);
                if (i >= 0 && i < n) {
                    kinds.computeIfAbsent(rs.getString(2), z -> new long[n])[i]++;
                    total++;
                }
            }
        }
        g.writeName("alerts");
        g.writeStartObject();
        g.writeNumberProperty("total", total);
        series(g, "kinds", kinds);
        g.writeName("attacks");
        g.writeStartArray();
        try (PreparedStatement ps = ranged(c, "SELECT kind, target_ip, target_port, target_protocol, epoch(start_time),"
                + " epoch(end_time), peak_pps, peak_bps, packets, bytes, source_count FROM alerts"
                + " WHERE start_time >= ? AND start_time < ? ORDER BY end_time DESC, peak_bps DESC LIMIT 20", from, to);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                g.writeStartObject();
                g.writeStringProperty("kind", rs.getString(1));
                g.writeStringProperty("target", rs.getString(2));
                g.writeNumberProperty("port", rs.getInt(3));
                g.writeStringProperty("protocol", rs.getString(4));
                g.writeNumberProperty("start", rs.getDouble(5));
                g.writeNumberProperty("end", rs.getDouble(6));
                g.writeBooleanProperty("active", rs.getDouble(6) >= to - 300 - (live ? 0 : step));
                g.writeNumberProperty("peak_pps", Math.round(rs.getDouble(7)));
                g.writeNumberProperty("peak_bps", Math.round(rs.getDouble(8)));
                g.writeNumberProperty("packets", rs.getLong(9));
                g.writeNumberProperty("bytes", rs.getLong(10));
                g.writeNumberProperty("sources", rs.getLong(11));
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private record Privacy(String mode, String networks, int k, String keyEpoch, String keyRotation, String auditLog, long runs) {}

    /** The newest run's policy; k is the largest of all runs (the strictest), 1 when no run had subscriber networks. */
    private static Privacy privacy(Connection c) throws SQLException {
        try (var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT mode, subscriber_networks, (SELECT max(CASE WHEN subscriber_networks = 'none'"
                     + " THEN 1 ELSE k END) FROM runs), key_epoch, key_rotation, audit_log, (SELECT count(*) FROM runs)"
                     + " FROM runs ORDER BY run_id DESC LIMIT 1")) {
            if (!rs.next()) {
                return new Privacy(null, null, 1, null, null, null, 0);
            }
            return new Privacy(rs.getString(1), rs.getString(2), Math.max(1, rs.getInt(3)), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getLong(7));
        }
    }

    private void writePrivacy(JsonGenerator g, Privacy p) {
        g.writeName("privacy");
        g.writeStartObject();
        g.writeStringProperty("mode", p.mode());
        g.writeStringProperty("subscriber_networks", p.networks());
        g.writeNumberProperty("k", p.k());
        g.writeStringProperty("key_epoch", p.keyEpoch());
        g.writeStringProperty("key_rotation", p.keyRotation());
        g.writeNumberProperty("runs", p.runs());
        g.writeStringProperty("audit_log", p.auditLog());
        if (p.auditLog() != null) {
            AuditCache a = verify(Path.of(p.auditLog()));
            if (a.v() != null) {
                g.writeStringProperty("audit_head", a.v().head());
                g.writeNumberProperty("audit_entries", a.v().entries());
                g.writeBooleanProperty("audit_verified", a.v().ok());
                if (!a.v().ok()) {
                    g.writeStringProperty("audit_problem", "entry " + a.v().brokenEntry() + ": " + a.v().problem());
                }
            } else {
                g.writeBooleanProperty("audit_verified", false);
                g.writeStringProperty("audit_problem", a.error());
            }
        }
        g.writeEndObject();
    }

    /** The audit log's verification, redone at most every 30 s (a log can be long). */
    private AuditCache verify(Path file) {
        AuditCache a = audit;
        long now = System.nanoTime();
        if (a != null && a.file().equals(file) && now - a.at() < 30_000_000_000L) {
            return a;
        }
        try {
            a = new AuditCache(file, now, AuditLog.verify(file), null);
        } catch (IOException | RuntimeException e) {
            a = new AuditCache(file, now, null, "cannot read: " + e.getMessage());
        }
        audit = a;
        return a;
    }

    private static void series(JsonGenerator g, String name, Map<String, long[]> m) {
        g.writeName(name);
        g.writeStartObject();
        for (Map.Entry<String, long[]> e : m.entrySet()) {
            g.writeName(e.getKey());
            g.writeStartArray();
            for (long v : e.getValue()) {
                g.writeNumber(v);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    /** Names that are not shown directly but summed (for tests). */
    static List<String> foldedNames() {
        return new ArrayList<>(List.of(SUPPRESSED, OTHER));
    }
}
