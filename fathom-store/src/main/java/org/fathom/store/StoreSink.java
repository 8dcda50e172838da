package org.fathom.store;

import java.io.IOException;
import java.io.StringWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.fathom.net.Addresses;
import org.fathom.privacy.AuditLog;
import org.fathom.record.AggregateRecord;
import org.fathom.record.AlertRecord;
import org.fathom.record.CallRecord;
import org.fathom.record.ExportRecord;
import org.fathom.record.FlowRecord;
import org.fathom.record.FlowSink;
import org.fathom.record.PrivacyHeader;
import org.fathom.record.Released;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes released records into a {@link Store}: flows, calls, alerts and aggregate-mode rows
 * through DuckDB's appender (batched: the appenders are flushed every {@value #BATCH} records
 * and at least every {@link #FLUSH_INTERVAL} while records come), and the per-minute tables the
 * dashboard reads ({@code traffic_minute}, {@code call_minute}), summed in memory and merged
 * into the tables at each flush. It takes only {@link Released} records, so the store holds
 * exactly what the privacy guard let out; the run's privacy header becomes its {@code runs} row.
 *
 * <p>Memory is bounded: the per-minute groups held between flushes are at most
 * {@value #MAX_GROUPS}; more forces a flush, and groups of minutes well behind the newest are
 * let go after they are written. Each group remembers at most {@value #MAX_CLIENTS} distinct
 * clients (enough to decide k-suppression).
 *
 * <p>Calls come from one thread (the output's queue thread); {@link #flush} and
 * {@link #retain} may come from the maintenance thread, so every use of the connection holds
 * this sink's lock.
 */
public final class StoreSink implements FlowSink {
    static final int BATCH = 10_000;
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    static final int MAX_GROUPS = 50_000;
    static final int MAX_CLIENTS = 1024;
    /** Groups of minutes this far behind the newest minute are dropped from memory once written. */
    static final long KEEP_MINUTES = 10;
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final java.time.format.DateTimeFormatter MINUTE_FORMAT = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final Store store;
    private final boolean keepFlows;
    private final String command;
    private final AuditLog audit;
    private final Duration retention;
    private final String retentionText;

    private DuckDBAppender flows;
    private DuckDBAppender calls;
    private DuckDBAppender alerts;
    private DuckDBAppender aggregates;
    private long runId;
    private org.fathom.privacy.SubscriberNetworks subscribers = org.fathom.privacy.SubscriberNetworks.NONE;
    private long pending;
    private long lastFlush = System.nanoTime();
    private long nFlows, nCalls, nAlerts, nAggregates;
    private String keyEpoch;
    private long newestMinute = Long.MIN_VALUE;
    private final Map<TrafficKey, Traffic> traffic = new HashMap<>();
    private final Map<Long, long[]> callMinutes = new HashMap<>();
    /** Per minute, rule and action of a policy (dry run or inline): flows, packets, bytes. */
    private final Map<PolicyKey, long[]> policyMinutes = new HashMap<>();
    private boolean closed;
    private Thread maintenance;
    private volatile SQLException maintenanceFailure;

    /**
     * @param keepFlows  false: only the per-minute tables, calls, alerts (a live dashboard's store in memory)
     * @param command    the command filling it, for the {@code runs} table
     * @param audit      where retention runs are logged (may be null when {@code retention} is)
     * @param retention  how long records are kept, or null to keep everything
     */
    public StoreSink(Store store, boolean keepFlows, String command, AuditLog audit, Duration retention, String retentionText)
            throws StoreException {
        if (store.readOnly()) {
            throw new IllegalArgumentException("store opened read-only");
        }
        this.store = store;
        this.keepFlows = keepFlows;
        this.command = command;
        this.audit = audit;
        this.retention = retention;
        this.retentionText = retentionText;
        try {
            DuckDBConnection c = (DuckDBConnection) store.connection();
            flows = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "flows");
            calls = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "calls");
            alerts = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "alerts");
            aggregates = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "aggregates");
        } catch (SQLException e) {
            throw new StoreException("store " + store.where() + ": " + Store.oneLine(e));
        }
    }

    public Store store() {
        return store;
    }

    @Override
    public synchronized void accept(Released<? extends ExportRecord> released) throws IOException {
        if (maintenanceFailure != null) {
            throw new IOException("store " + store.where() + ": " + Store.oneLine(maintenanceFailure), maintenanceFailure);
        }
        try {
            switch (released.record()) {
                case PrivacyHeader h -> header(h);
                case FlowRecord f -> flow(f);
                case CallRecord c -> call(c);
                case AlertRecord a -> alert(a);
                case AggregateRecord a -> aggregate(a);
                case org.fathom.record.VerdictRecord v -> {
                    // policy verdicts (fathom inline) have their own --verdicts log; not stored (yet)
                }
                case org.fathom.record.EventRecord e -> {
                    // per-transaction events have their own --events output; not stored (yet), and
                    // this sink does not ask for them (FlowSink.takesEvents is false)
                }
            }
            if (++pending >= BATCH || System.nanoTime() - lastFlush >= FLUSH_INTERVAL.toNanos()
                    || traffic.size() >= MAX_GROUPS || policyMinutes.size() >= MAX_GROUPS) {
                flushLocked();
            }
        } catch (SQLException e) {
            throw new IOException("store " + store.where() + ": " + Store.oneLine(e), e);
        }
    }

    private void header(PrivacyHeader h) throws SQLException {
        try {
            subscribers = org.fathom.privacy.SubscriberNetworks.parse(h.subscriberNetworks());
        } catch (IllegalArgumentException e) {
            subscribers = org.fathom.privacy.SubscriberNetworks.NONE;
        }
        try (Statement st = store.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(run_id), 0) + 1 FROM runs")) {
            rs.next();
            runId = rs.getLong(1);
        }
        try (PreparedStatement ps = store.connection().prepareStatement("INSERT INTO runs (run_id, started, command, mode,"
                + " subscriber_networks, key_rotation, k, epsilon, authorisation_reference, fields_pseudonymised, fields_dropped,"
                + " audit_log) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, runId);
            ps.setObject(2, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
            ps.setString(3, command);
            ps.setString(4, h.mode());
            ps.setString(5, h.subscriberNetworks());
            ps.setString(6, h.keyRotation());
            ps.setInt(7, h.k());
            if (h.epsilon() == null) {
                ps.setNull(8, java.sql.Types.DOUBLE);
            } else {
                ps.setDouble(8, h.epsilon());
            }
            ps.setString(9, h.authorisationReference());
            ps.setString(10, String.join(",", h.fieldsPseudonymised()));
            ps.setString(11, String.join(",", h.fieldsDropped()));
            ps.setString(12, audit == null ? null : audit.file().toString());
            ps.executeUpdate();
        }
    }

    private void flow(FlowRecord r) throws SQLException {
        nFlows++;
        if (r.metadata().get("pseudonym_epoch") instanceof String epoch) {
            keyEpoch = epoch;
        }
        if (keepFlows) {
            DuckDBAppender a = flows;
            a.beginRow();
            a.append(runId);
            a.append(r.l4());
            a.append(r.srcIp());
            a.append(r.srcPort());
            a.append(r.dstIp());
            a.append(r.dstPort());
            a.append(r.vlan());
            string(a, r.tunnel());
            a.append(r.protocol());
            a.append(r.application());
            a.append(r.category());
            a.append(r.confidence());
            a.append(r.packetsC2s());
            a.append(r.packetsS2c());
            a.append(r.bytesC2s());
            a.append(r.bytesS2c());
            a.appendEpochMicros(r.firstSeenNanos() / 1000);
            a.appendEpochMicros(r.lastSeenNanos() / 1000);
            if ("TCP".equals(r.l4())) {
                a.append(flags(r.tcpFlagsC2s()));
                a.append(flags(r.tcpFlagsS2c()));
            } else {
                a.appendNull();
                a.appendNull();
            }
            a.append(r.endReason());
            string(a, r.risks().isEmpty() ? null : String.join(",", r.risks()));
            string(a, r.metadata().isEmpty() ? null : json(r.metadata()));
            a.endRow();
        }
        // the per-minute traffic, by the minute the record ends (an interim record's counters are deltas)
        long minute = Math.floorDiv(r.lastSeenNanos(), MINUTE_NANOS);
        newestMinute = Math.max(newestMinute, minute);
        Traffic t = traffic.computeIfAbsent(new TrafficKey(minute, nz(r.category()), nz(r.application())), k -> new Traffic());
        boolean interim = "active".equals(r.endReason());
        if (!interim) {
            t.flows++;
        }
        if (r.metadata().get("policy.action") instanceof String action) {
            // the rule and action a policy gave the flow (--policy): the dashboard's verdicts per rule
            Object rule = r.metadata().get("policy.rule");
            long[] v = policyMinutes.computeIfAbsent(new PolicyKey(minute, rule == null ? "(default)" : rule.toString(), action),
                    k -> new long[3]);
            v[0] += interim ? 0 : 1;
            v[1] += r.packetsC2s() + r.packetsS2c();
            v[2] += r.bytesC2s() + r.bytesS2c();
        }
        t.packets += r.packetsC2s() + r.packetsS2c();
        t.bytes += r.bytesC2s() + r.bytesS2c();
        // k-suppression protects subscribers: a flow counts its client only when a subscriber is
        // in it (the guard pseudonymised an address, or, as in identified mode, an address is in
        // the subscriber networks); a group with no subscriber flow needs no suppression
        boolean subscriber = r.metadata().containsKey("pseudonym_epoch") || subscribers.contains(r.srcHi(), r.srcLo())
                || subscribers.contains(r.dstHi(), r.dstLo());
        if (subscriber && t.clients.size() < MAX_CLIENTS) {
            t.clients.add(r.srcHi() * 31 + r.srcLo());
        }
        if (!interim && "TCP".equals(r.l4())) {
            int c = r.tcpFlagsC2s();
            int s = r.tcpFlagsS2c();
            boolean syn = (c & SYN) != 0;
            if (syn && r.packetsS2c() == 0) {
                t.unanswered++;
            } else if (syn && (s & RST) != 0 && (s & SYN) == 0) {
                t.refused++;
            } else if ((s & SYN) != 0 && ((c | s) & RST) != 0) {
                t.reset++;
            }
        }
        if (!r.risks().isEmpty() && !interim) {
            t.risky++;
        }
    }

    static final int FIN = 1, SYN = 2, RST = 4;

    private void call(CallRecord c) throws SQLException {
        nCalls++;
        DuckDBAppender a = calls;
        a.beginRow();
        a.append(runId);
        string(a, c.callId());
        string(a, c.caller());
        string(a, c.callee());
        a.append(Addresses.format(c.clientHi(), c.clientLo()));
        a.append(c.clientPort());
        a.append(Addresses.format(c.serverHi(), c.serverLo()));
        a.append(c.serverPort());
        string(a, c.transport());
        a.appendEpochMicros(c.startNanos() / 1000);
        if (c.answerNanos() != 0) {
            a.appendEpochMicros(c.answerNanos() / 1000);
        } else {
            a.appendNull();
        }
        a.appendEpochMicros(c.endNanos() / 1000);
        if (c.pddMs() >= 0) {
            a.append(c.pddMs());
        } else {
            a.appendNull();
        }
        a.append(c.durationS());
        a.append(c.finalStatus());
        string(a, c.outcome());
        string(a, c.endReason());
        a.append(c.emergency());
        double mos = Double.NaN, loss = Double.NaN, jitter = Double.NaN;
        for (CallRecord.MediaStream m : c.media()) {
            mos = Double.isNaN(mos) ? m.mos() : Math.min(mos, m.mos());
            loss = Double.isNaN(loss) ? m.lossPct() : Math.max(loss, m.lossPct());
            jitter = Double.isNaN(jitter) ? m.jitterMs() : Math.max(jitter, m.jitterMs());
        }
        dbl(a, mos);
        dbl(a, loss);
        dbl(a, jitter);
        string(a, c.media().isEmpty() ? null : mediaJson(c.media()));
        a.endRow();

        long minute = Math.floorDiv(c.startNanos(), MINUTE_NANOS);
        newestMinute = Math.max(newestMinute, minute);
        long[] m = callMinutes.computeIfAbsent(minute, k -> new long[12]);
        m[0]++;   // attempts
        if (c.answerNanos() != 0) {
            m[1]++;
        }
        switch (c.outcome() == null ? "" : c.outcome()) {
            case "completed" -> m[2]++;
            case "dropped" -> m[3]++;
            case "rejected", "failed" -> m[4]++;
            case "busy" -> m[5]++;
            case "no_answer" -> m[6]++;
            case "cancelled" -> m[7]++;
            case "redirected" -> m[8]++;
            case "in_progress" -> m[9]++;
            default -> { }
        }
        if (c.emergency()) {
            m[10]++;
            if (c.answerNanos() != 0) {
                m[11]++;
            }
        }
    }

    private void alert(AlertRecord r) throws SQLException {
        nAlerts++;
        DuckDBAppender a = alerts;
        a.beginRow();
        a.append(runId);
        a.append(r.kind());
        a.append(Addresses.format(r.targetHi(), r.targetLo()));
        a.append(r.targetPort());
        string(a, r.targetProtocol());
        a.appendEpochMicros(r.startNanos() / 1000);
        a.appendEpochMicros(r.endNanos() / 1000);
        a.append(r.peakPps());
        a.append(r.peakBps());
        a.append(r.packets());
        a.append(r.bytes());
        a.append(r.sourceCount());
        StringBuilder src = new StringBuilder();
        for (long[] s : r.topSources()) {
            src.append(src.isEmpty() ? "" : ",").append(Addresses.format(s[0], s[1]));
        }
        string(a, src.isEmpty() ? null : src.toString());
        a.append(r.detectionDelayMs());
        string(a, r.detail());
        a.endRow();
    }

    private void aggregate(AggregateRecord r) throws SQLException {
        nAggregates++;
        DuckDBAppender a = aggregates;
        a.beginRow();
        a.append(runId);
        a.appendEpochMicros(r.bucketStartNanos() / 1000);
        a.append(r.bucketNanos() / 1_000_000_000L);
        string(a, r.segment());
        string(a, r.protocol());
        string(a, r.application());
        string(a, r.category());
        a.append(r.subscribers());
        a.append(r.flows());
        a.append(r.packets());
        a.append(r.bytesUp());
        a.append(r.bytesDown());
        a.append(r.noisy());
        a.endRow();
    }

    /** Writes what is batched: the appenders' rows and the per-minute sums. */
    public synchronized void flush() throws SQLException {
        if (!closed) {
            flushLocked();
        }
    }

    private void flushLocked() throws SQLException {
        flows.flush();
        calls.flush();
        alerts.flush();
        aggregates.flush();
        if (!traffic.isEmpty()) {
            // one statement per chunk of groups: DuckDB runs a batch of prepared upserts one by one,
            // which cost more than all the appends together
            List<String> rows = new java.util.ArrayList<>();
            for (Iterator<Map.Entry<TrafficKey, Traffic>> it = traffic.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<TrafficKey, Traffic> e = it.next();
                Traffic t = e.getValue();
                if (t.dirty()) {
                    rows.add("(" + minuteLiteral(e.getKey().minute()) + ", " + literal(e.getKey().category()) + ", "
                            + literal(e.getKey().application()) + ", " + t.flows + ", " + t.packets + ", " + t.bytes + ", "
                            + t.clients.size() + ", " + t.refused + ", " + t.reset + ", " + t.unanswered + ", " + t.risky + ")");
                    t.reset();
                }
                // the client set is kept while its minute may still get records, so the count stays exact
                if (e.getKey().minute() < newestMinute - KEEP_MINUTES || traffic.size() >= MAX_GROUPS) {
                    it.remove();
                }
            }
            upsert("INSERT INTO traffic_minute VALUES ", rows, " ON CONFLICT (minute, category, application) DO UPDATE SET"
                    + " flows = flows + excluded.flows, packets = packets + excluded.packets, bytes = bytes + excluded.bytes,"
                    + " clients = greatest(clients, excluded.clients), tcp_refused = tcp_refused + excluded.tcp_refused,"
                    + " tcp_reset = tcp_reset + excluded.tcp_reset, tcp_unanswered = tcp_unanswered + excluded.tcp_unanswered,"
                    + " risky = risky + excluded.risky");
        }
        if (!policyMinutes.isEmpty()) {
            List<String> rows = new java.util.ArrayList<>();
            for (Map.Entry<PolicyKey, long[]> e : policyMinutes.entrySet()) {
                long[] v = e.getValue();
                rows.add("(" + minuteLiteral(e.getKey().minute()) + ", " + literal(e.getKey().rule()) + ", "
                        + literal(e.getKey().action()) + ", " + v[0] + ", " + v[1] + ", " + v[2] + ")");
            }
            upsert("INSERT INTO policy_minute VALUES ", rows, " ON CONFLICT (minute, rule, action) DO UPDATE SET"
                    + " flows = flows + excluded.flows, packets = packets + excluded.packets, bytes = bytes + excluded.bytes");
            policyMinutes.clear();
        }
        if (!callMinutes.isEmpty()) {
            List<String> rows = new java.util.ArrayList<>();
            for (Map.Entry<Long, long[]> e : callMinutes.entrySet()) {
                StringBuilder b = new StringBuilder("(").append(minuteLiteral(e.getKey()));
                for (long v : e.getValue()) {
                    b.append(", ").append(v);
                }
                rows.add(b.append(')').toString());
            }
            upsert("INSERT INTO call_minute VALUES ", rows, " ON CONFLICT (minute) DO UPDATE SET attempts = attempts + excluded.attempts,"
                    + " answered = answered + excluded.answered, completed = completed + excluded.completed,"
                    + " dropped = dropped + excluded.dropped, blocked = blocked + excluded.blocked, busy = busy + excluded.busy,"
                    + " no_answer = no_answer + excluded.no_answer, cancelled = cancelled + excluded.cancelled,"
                    + " redirected = redirected + excluded.redirected, in_progress = in_progress + excluded.in_progress,"
                    + " emergency = emergency + excluded.emergency, emergency_answered = emergency_answered + excluded.emergency_answered");
            callMinutes.clear();
        }
        if (runId > 0) {
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "UPDATE runs SET flows = ?, calls = ?, alerts = ?, aggregates = ?, key_epoch = ? WHERE run_id = ?")) {
                ps.setLong(1, nFlows);
                ps.setLong(2, nCalls);
                ps.setLong(3, nAlerts);
                ps.setLong(4, nAggregates);
                ps.setString(5, keyEpoch);
                ps.setLong(6, runId);
                ps.executeUpdate();
            }
        }
        pending = 0;
        lastFlush = System.nanoTime();
    }

    /**
     * Deletes records older than the retention (see {@link Store#retain}) and logs the run in the
     * audit log. Does nothing without a retention.
     */
    public synchronized Store.Retention retain() throws SQLException {
        if (retention == null || closed) {
            return null;
        }
        flushLocked();
        Store.Retention r = store.retain(retention, Instant.now());
        if (audit != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("store", store.where());
            details.put("retention", retentionText);
            details.put("cutoff", r.cutoff().toString());
            for (Map.Entry<String, Long> e : r.deleted().entrySet()) {
                details.put(e.getKey() + "_deleted", e.getValue());
            }
            audit.append("store_retention", details);
        }
        return r;
    }

    /**
     * Starts the maintenance thread of a long run: a flush every {@code flushEvery} (so a quiet
     * link's last records reach the dashboard) and the retention every {@code retainEvery}.
     */
    public synchronized void startMaintenance(Duration flushEvery, Duration retainEvery) {
        if (maintenance != null) {
            return;
        }
        maintenance = Thread.ofPlatform().daemon().name("fathom-store").start(() -> {
            long nextRetain = System.nanoTime();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(flushEvery);
                    flush();
                    if (retention != null && System.nanoTime() - nextRetain >= 0) {
                        retain();
                        nextRetain = System.nanoTime() + retainEvery.toNanos();
                    }
                }
            } catch (InterruptedException e) {
                // closing
            } catch (SQLException e) {
                maintenanceFailure = e;
            }
        });
    }

    /** Writes the rest, applies the retention once (the end of an analyze run), closes the store. */
    @Override
    public void close() throws IOException {
        Thread m;
        synchronized (this) {
            m = maintenance;
        }
        if (m != null) {
            m.interrupt();
            try {
                m.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                flushLocked();
                if (runId > 0) {
                    try (PreparedStatement ps = store.connection().prepareStatement("UPDATE runs SET ended = ? WHERE run_id = ?")) {
                        ps.setObject(1, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
                        ps.setLong(2, runId);
                        ps.executeUpdate();
                    }
                }
                if (retention != null) {
                    retain();
                }
                closed = true;
                flows.close();
                calls.close();
                alerts.close();
                aggregates.close();
                try (Statement st = store.connection().createStatement()) {
                    st.execute("CHECKPOINT");
                }
                store.close();
            } catch (SQLException e) {
                closed = true;
                throw new IOException("store " + store.where() + ": " + Store.oneLine(e), e);
            }
        }
    }

    private void upsert(String head, List<String> rows, String tail) throws SQLException {
        try (Statement st = store.connection().createStatement()) {
            for (int i = 0; i < rows.size(); i += 2000) {
                st.execute(head + String.join(", ", rows.subList(i, Math.min(rows.size(), i + 2000))) + tail);
            }
        }
    }

    private static String minuteLiteral(long minute) {
        return "TIMESTAMP '" + MINUTE_FORMAT.format(minuteTime(minute)) + "'";
    }

    /** A SQL string literal: quotes doubled, control characters dropped (names come from the catalogs and rule files). */
    static String literal(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                b.append("''");
            } else if (!Character.isISOControl(c)) {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    private static java.time.LocalDateTime minuteTime(long minute) {
        return java.time.LocalDateTime.ofEpochSecond(minute * 60, 0, java.time.ZoneOffset.UTC);
    }

    private static String nz(String s) {
        return s == null ? "Unknown" : s;
    }

    private static void string(DuckDBAppender a, String s) throws SQLException {
        if (s == null) {
            a.appendNull();
        } else {
            a.append(s);
        }
    }

    private static void dbl(DuckDBAppender a, double d) throws SQLException {
        if (Double.isNaN(d)) {
            a.appendNull();
        } else {
            a.append(d);
        }
    }

    private static String flags(int f) {
        String letters = "FSRPAUEC";
        StringBuilder sb = new StringBuilder();
        for (int bit = 7; bit >= 0; bit--) {
            if ((f & (1 << bit)) != 0) {
                sb.append(letters.charAt(bit));
            }
        }
        return sb.toString();
    }

    static String json(Map<String, Object> map) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), w)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : map.entrySet()) {
                g.writeName(e.getKey());
                value(g, e.getValue());
            }
            g.writeEndObject();
        }
        return w.toString();
    }

    private static String mediaJson(List<CallRecord.MediaStream> media) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), w)) {
            g.writeStartArray();
            for (CallRecord.MediaStream m : media) {
                g.writeStartObject();
                g.writeStringProperty("direction", m.direction());
                g.writeStringProperty("codec", m.codec());
                g.writeNumberProperty("packets", m.packets());
                g.writeNumberProperty("loss_pct", m.lossPct());
                g.writeNumberProperty("jitter_ms", m.jitterMs());
                g.writeNumberProperty("max_gap_ms", m.maxGapMs());
                g.writeNumberProperty("mos", m.mos());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return w.toString();
    }

    private static void value(JsonGenerator g, Object v) {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Double d when Double.isFinite(d) -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            case List<?> list -> {
                g.writeStartArray();
                for (Object o : list) {
                    value(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeString(v.toString());
        }
    }

    private record TrafficKey(long minute, String category, String application) {}

    private record PolicyKey(long minute, String rule, String action) {}

    /** One minute's traffic of a category and application since the last flush, and its distinct clients. */
    private static final class Traffic {
        long flows, packets, bytes, refused, reset, unanswered, risky;
        int written = -1;
        final Set<Long> clients = new HashSet<>();

        boolean dirty() {
            return flows + packets + bytes + refused + reset + unanswered + risky > 0 || written != clients.size();
        }

        void reset() {
            flows = packets = bytes = refused = reset = unanswered = risky = 0;
            written = clients.size();
        }
    }
}
