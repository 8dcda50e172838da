package org.fathom.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * The embedded store of released records: one DuckDB database file, {@value #FILE}, in a folder
 * (or in memory). Tables (docs/STORE.md): {@code runs}, {@code flows}, {@code calls},
 * {@code alerts}, {@code aggregates} and the per-minute tables {@code traffic_minute} and
 * {@code call_minute} that the dashboard reads. Only {@link StoreSink} writes it, and it is only
 * ever handed records the privacy guard released.
 *
 * <p>DuckDB lets one process hold a database file for writing; other processes cannot open it
 * meanwhile (not even to read), which {@link #open} reports in one line. Inside the process,
 * readers (the web server) take their own connection with {@link #reader}.
 */
public final class Store implements AutoCloseable {
    /** The database file inside the store's folder. */
    public static final String FILE = "fathom.duckdb";

    /** Schema version, kept in {@code meta}: a store of another version is refused, not misread. */
    public static final int SCHEMA_VERSION = 1;

    static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
            "CREATE TABLE IF NOT EXISTS runs (run_id BIGINT PRIMARY KEY, started TIMESTAMP, ended TIMESTAMP, command VARCHAR,"
                    + " mode VARCHAR, subscriber_networks VARCHAR, key_rotation VARCHAR, k INTEGER, epsilon DOUBLE,"
                    + " authorisation_reference VARCHAR, fields_pseudonymised VARCHAR, fields_dropped VARCHAR,"
                    + " key_epoch VARCHAR, audit_log VARCHAR, flows BIGINT, calls BIGINT, alerts BIGINT, aggregates BIGINT)",
            "CREATE TABLE IF NOT EXISTS flows (run_id BIGINT, l4 VARCHAR, src_ip VARCHAR, src_port INTEGER, dst_ip VARCHAR,"
                    + " dst_port INTEGER, vlan INTEGER, tunnel VARCHAR, protocol VARCHAR, application VARCHAR, category VARCHAR,"
                    + " confidence VARCHAR, packets_c2s BIGINT, packets_s2c BIGINT, bytes_c2s BIGINT, bytes_s2c BIGINT,"
                    + " first_seen TIMESTAMP, last_seen TIMESTAMP, tcp_flags_c2s VARCHAR, tcp_flags_s2c VARCHAR,"
                    + " end_reason VARCHAR, risks VARCHAR, metadata VARCHAR)",
            "CREATE TABLE IF NOT EXISTS calls (run_id BIGINT, call_id VARCHAR, caller VARCHAR, callee VARCHAR, client_ip VARCHAR,"
                    + " client_port INTEGER, server_ip VARCHAR, server_port INTEGER, transport VARCHAR, start_time TIMESTAMP,"
                    + " answer_time TIMESTAMP, end_time TIMESTAMP, pdd_ms BIGINT, duration_s DOUBLE, final_status INTEGER,"
                    + " outcome VARCHAR, end_reason VARCHAR, emergency BOOLEAN, mos DOUBLE, loss_pct DOUBLE, jitter_ms DOUBLE,"
                    + " media VARCHAR)",
            "CREATE TABLE IF NOT EXISTS alerts (run_id BIGINT, kind VARCHAR, target_ip VARCHAR, target_port INTEGER,"
                    + " target_protocol VARCHAR, start_time TIMESTAMP, end_time TIMESTAMP, peak_pps DOUBLE, peak_bps DOUBLE,"
                    + " packets BIGINT, bytes BIGINT, source_count BIGINT, top_sources VARCHAR, detection_delay_ms BIGINT,"
                    + " detail VARCHAR)",
            "CREATE TABLE IF NOT EXISTS aggregates (run_id BIGINT, bucket_start TIMESTAMP, bucket_seconds BIGINT, segment VARCHAR,"
                    + " protocol VARCHAR, application VARCHAR, category VARCHAR, subscribers BIGINT, flows BIGINT, packets BIGINT,"
                    + " bytes_up BIGINT, bytes_down BIGINT, noisy BOOLEAN)",
            "CREATE TABLE IF NOT EXISTS traffic_minute (minute TIMESTAMP, category VARCHAR, application VARCHAR, flows BIGINT,"
                    + " packets BIGINT, bytes BIGINT, clients INTEGER, tcp_refused BIGINT, tcp_reset BIGINT,"
                    + " tcp_unanswered BIGINT, risky BIGINT, PRIMARY KEY (minute, category, application))",
            "CREATE TABLE IF NOT EXISTS policy_minute (minute TIMESTAMP, rule VARCHAR, action VARCHAR, flows BIGINT,"
                    + " packets BIGINT, bytes BIGINT, PRIMARY KEY (minute, rule, action))",
            "CREATE TABLE IF NOT EXISTS call_minute (minute TIMESTAMP PRIMARY KEY, attempts BIGINT, answered BIGINT,"
                    + " completed BIGINT, dropped BIGINT, blocked BIGINT, busy BIGINT, no_answer BIGINT, cancelled BIGINT,"
                    + " redirected BIGINT, in_progress BIGINT, emergency BIGINT, emergency_answered BIGINT)");

    private final Connection conn;
    private final Path dir;
    private final boolean readOnly;

    private Store(Connection conn, Path dir, boolean readOnly) {
        this.conn = conn;
        this.dir = dir;
        this.readOnly = readOnly;
    }

    /**
     * Opens the store in {@code dir} for writing, creating the folder and the tables as needed.
     *
     * @throws StoreException when the folder cannot be made, the file is not a store, or another
     *         process holds it
     */
    public static Store open(Path dir) throws StoreException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new StoreException("store " + dir + " is not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new StoreException("store " + dir + ": cannot create folder (" + e.getMessage() + ")");
        }
        Store s = new Store(connect("jdbc:duckdb:" + dir.resolve(FILE).toAbsolutePath(), false, dir), dir, false);
        s.createSchema();
        return s;
    }

    /** A store in memory, for a live run's dashboard without {@code --store}: gone when the process ends. */
    public static Store inMemory() throws StoreException {
        Store s = new Store(connect("jdbc:duckdb:", false, null), null, false);
        s.createSchema();
        return s;
    }

    /**
     * Opens an existing store read-only ({@code fathom query}, {@code fathom serve}).
     *
     * @throws StoreException when there is no store in {@code dir}, or a writer holds it
     */
    public static Store openReadOnly(Path dir) throws StoreException {
        Path file = dir.resolve(FILE);
        if (!Files.isDirectory(dir)) {
            throw new StoreException("store " + dir + ": no such folder");
        }
        if (!Files.isRegularFile(file)) {
            throw new StoreException("store " + dir + ": no store here (no " + FILE + "; fill one with 'fathom analyze --store "
                    + dir + " CAPTURE')");
        }
        Store s = new Store(connect("jdbc:duckdb:" + file.toAbsolutePath(), true, dir), dir, true);
        s.checkVersion();
        return s;
    }

    private static Connection connect(String url, boolean readOnly, Path dir) throws StoreException {
        Properties p = new Properties();
        // never fetch extensions from the network (NOCs are often offline; a store needs none)
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        if (readOnly) {
            p.setProperty("duckdb.read_only", "true");
            // read-only means no file either: no COPY ... TO, no read_csv of other files
            p.setProperty("enable_external_access", "false");
        }
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            throw new StoreException("store " + (dir == null ? "in memory" : dir) + ": cannot open (" + oneLine(e) + ")");
        } catch (ClassNotFoundException e) {
            throw new StoreException("store: the DuckDB driver is missing from the class path");
        }
    }

    private void createSchema() throws StoreException {
        try (Statement st = conn.createStatement()) {
            for (String ddl : SCHEMA) {
                st.execute(ddl);
            }
            st.execute("INSERT INTO meta VALUES ('schema_version', '" + SCHEMA_VERSION + "') ON CONFLICT DO NOTHING");
        } catch (SQLException e) {
            throw new StoreException("store " + where() + ": cannot create tables (" + oneLine(e) + ")");
        }
        checkVersion();
    }

    private void checkVersion() throws StoreException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
            String v = rs.next() ? rs.getString(1) : null;
            if (!String.valueOf(SCHEMA_VERSION).equals(v)) {
                throw new StoreException("store " + where() + ": schema version " + v + ", this fathom reads version " + SCHEMA_VERSION);
            }
        } catch (SQLException e) {
            throw new StoreException("store " + where() + ": not a fathom store (" + oneLine(e) + ")");
        }
    }

    /** The folder, or null for a store in memory. */
    public Path dir() {
        return dir;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Where the store is, for messages. */
    public String where() {
        return dir == null ? "in memory" : dir.toString();
    }

    /** The writer's connection (one thread at a time: {@link StoreSink} synchronises its use). */
    Connection connection() {
        return conn;
    }

    /** A connection of its own for a reader in this process (the web server), sharing the database. */
    public Connection reader() throws SQLException {
        return ((DuckDBConnection) conn).duplicate();
    }

    /** What one retention run deleted. */
    public record Retention(Instant cutoff, Map<String, Long> deleted) {
        public long total() {
            return deleted.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Deletes everything older than {@code keep} before the store's present: the earlier of
     * {@code now} and its newest record, so a store filled from old captures keeps its newest
     * window instead of emptying itself, while a live store's window ends now.
     */
    public synchronized Retention retain(Duration keep, Instant now) throws SQLException {
        Map<String, Long> deleted = new LinkedHashMap<>();
        Instant newest = newest();
        Instant present = newest == null || newest.isAfter(now) ? now : newest;
        Instant cutoff = present.minus(keep);
        String ts = "TIMESTAMP '" + java.time.LocalDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC) + "'";
        try (Statement st = conn.createStatement()) {
            deleted.put("flows", (long) st.executeUpdate("DELETE FROM flows WHERE last_seen < " + ts));
            deleted.put("calls", (long) st.executeUpdate("DELETE FROM calls WHERE end_time < " + ts));
            deleted.put("alerts", (long) st.executeUpdate("DELETE FROM alerts WHERE end_time < " + ts));
            deleted.put("aggregates", (long) st.executeUpdate("DELETE FROM aggregates WHERE bucket_start < " + ts));
            deleted.put("traffic_minute", (long) st.executeUpdate("DELETE FROM traffic_minute WHERE minute < " + ts));
            deleted.put("call_minute", (long) st.executeUpdate("DELETE FROM call_minute WHERE minute < " + ts));
            deleted.put("policy_minute", (long) st.executeUpdate("DELETE FROM policy_minute WHERE minute < " + ts));
        }
        return new Retention(cutoff, deleted);
    }

    /** Time of the newest record (flow end, call end, alert end, minute), or null in an empty store. */
    public Instant newest() throws SQLException {
        return newest(conn);
    }

    /** {@link #newest()} through another connection (a reader's). */
    public static Instant newest(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT greatest((SELECT max(last_seen) FROM flows), (SELECT max(end_time) FROM calls),"
                     + " (SELECT max(end_time) FROM alerts), (SELECT max(minute) + INTERVAL 1 MINUTE FROM traffic_minute),"
                     + " (SELECT max(minute) + INTERVAL 1 MINUTE FROM call_minute),"
                     + " (SELECT max(bucket_start + to_seconds(bucket_seconds)) FROM aggregates))")) {
            if (rs.next()) {
                java.time.LocalDateTime t = rs.getObject(1, java.time.LocalDateTime.class);
                return t == null ? null : t.toInstant(java.time.ZoneOffset.UTC);
            }
            return null;
        }
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }

    /** A driver message in one line, without DuckDB's layout. */
    public static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("\\s*\\n\\s*", " ").replaceAll("\\s+", " ").trim();
        return m.length() > 400 ? m.substring(0, 400) + "..." : m;
    }
}
