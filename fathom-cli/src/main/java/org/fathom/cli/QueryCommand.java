package org.fathom.cli;

import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fathom.store.Store;
import org.fathom.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

@Command(name = "query",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one SQL query over a store filled by 'analyze --store' or 'live --store' and prints the result.",
            "",
            "The store is opened read-only (DuckDB SQL; tables runs, flows, calls, alerts, aggregates, traffic_minute, "
                    + "call_minute: see docs/STORE.md). A store that a running 'fathom live' is writing cannot be opened "
                    + "by another process; query it through that run's dashboard, or stop it first.",
        },
        footer = {
            "",
            "Example: fathom query --store /var/lib/fathom/store \"SELECT application, sum(bytes_c2s + bytes_s2c) AS bytes",
            "         FROM flows GROUP BY 1 ORDER BY 2 DESC LIMIT 10\"",
            "",
            "Exit status: 0 ok; 2 no store in DIR, store in use, or a bad query (one line on standard error).",
        },
        sortOptions = false)
final class QueryCommand implements Callable<Integer> {
    @Option(names = "--store", paramLabel = "DIR", required = true, description = "The store's folder.")
    Path store;

    @Option(names = "--json", description = "Print one JSON object per row (JSON lines) instead of a table.")
    boolean json;

    @Option(names = "--max-rows", paramLabel = "N", description = "Print at most N rows (default: ${DEFAULT-VALUE}); a line on standard error says when rows were left out.")
    long maxRows = 10_000;

    @Parameters(index = "0", paramLabel = "SQL", description = "The query.")
    String sql;

    /** Widest a table cell is printed; longer values are cut with '...'. */
    static final int MAX_CELL = 60;

    @Override
    public Integer call() {
        if (maxRows < 1) {
            throw new UserError("--max-rows must be at least 1");
        }
        PrintStream out = System.out;
        try (Store s = Store.openReadOnly(store);
             Connection c = s.reader();
             Statement st = c.createStatement()) {
            st.setMaxRows((int) Math.min(Integer.MAX_VALUE, maxRows + 1));
            boolean hasRows = st.execute(sql);
            if (!hasRows) {
                out.println("(no result set)");
                return Main.EXIT_OK;
            }
            try (ResultSet rs = st.getResultSet()) {
                boolean more = json ? printJson(rs, out) : printTable(rs, out);
                if (more) {
                    System.err.println("fathom: more than " + maxRows + " rows; the rest left out (raise --max-rows or add LIMIT)");
                }
            }
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        } catch (SQLException e) {
            throw new UserError("query: " + Store.oneLine(e));
        }
        out.flush();
        if (out.checkError()) {
            throw UserError.io("cannot write the result to standard output");
        }
        return Main.EXIT_OK;
    }

    private boolean printTable(ResultSet rs, PrintStream out) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] head = new String[n];
        int[] width = new int[n];
        boolean[] right = new boolean[n];
        for (int i = 0; i < n; i++) {
            head[i] = md.getColumnLabel(i + 1);
            width[i] = head[i].length();
            int t = md.getColumnType(i + 1);
            right[i] = t == java.sql.Types.BIGINT || t == java.sql.Types.INTEGER || t == java.sql.Types.SMALLINT
                    || t == java.sql.Types.TINYINT || t == java.sql.Types.DOUBLE || t == java.sql.Types.FLOAT
                    || t == java.sql.Types.DECIMAL || t == java.sql.Types.NUMERIC || t == java.sql.Types.REAL;
        }
        List<String[]> rows = new ArrayList<>();
        boolean more = false;
        while (rs.next()) {
            if (rows.size() >= maxRows) {
                more = true;
                break;
            }
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                row[i] = cell(value(rs, md, i + 1));
                width[i] = Math.max(width[i], row[i].length());
            }
            rows.add(row);
        }
        line(out, head, width, right);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < n; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        out.println(rule);
        for (String[] r : rows) {
            line(out, r, width, right);
        }
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
        return more;
    }

    private static void line(PrintStream out, String[] cells, int[] width, boolean[] right) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append("  ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            b.append(right[i] ? pad + cells[i] : i == cells.length - 1 ? cells[i] : cells[i] + pad);
        }
        out.println(b);
    }

    /** A value as table text: NULL, numbers as given, control characters shown as '?', long values cut. */
    static String cell(Object v) {
        if (v == null) {
            return "NULL";
        }
        String s = v instanceof Double d ? (d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) + ".0"
                : String.valueOf(Math.round(d * 1e6) / 1e6)) : String.valueOf(v);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) ? '?' : ch);
        }
        return b.length() > MAX_CELL ? b.substring(0, MAX_CELL - 3) + "..." : b.toString();
    }

    /** A column's value; timestamps (UTC in the store) as LocalDateTime, never shifted to the JVM's zone. */
    static Object value(ResultSet rs, ResultSetMetaData md, int i) throws SQLException {
        int t = md.getColumnType(i);
        if (t == java.sql.Types.TIMESTAMP) {
            return rs.getObject(i, java.time.LocalDateTime.class);
        }
        return rs.getObject(i);
    }

    private boolean printJson(ResultSet rs, PrintStream out) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        JsonFactory f = JsonFactory.builder().build();
        long rows = 0;
        while (rs.next()) {
            if (rows >= maxRows) {
                return true;
            }
            StringWriter w = new StringWriter();
            try (JsonGenerator g = f.createGenerator(ObjectWriteContext.empty(), w)) {
                g.writeStartObject();
                for (int i = 1; i <= n; i++) {
                    g.writeName(md.getColumnLabel(i));
                    Object v = value(rs, md, i);
                    switch (v) {
                        case null -> g.writeNull();
                        case Boolean b -> g.writeBoolean(b);
                        case Integer x -> g.writeNumber(x);
                        case Long x -> g.writeNumber(x);
                        case Short x -> g.writeNumber(x);
                        case Byte x -> g.writeNumber(x);
                        case Double d when Double.isFinite(d) -> g.writeNumber(d);
                        case Float d when Float.isFinite(d) -> g.writeNumber(d);
                        case java.math.BigDecimal d -> g.writeNumber(d);
                        case java.math.BigInteger d -> g.writeNumber(d);
                        case java.time.LocalDateTime t -> g.writeString(t + "Z");
                        case java.sql.Timestamp t -> g.writeString(t.toLocalDateTime() + "Z");
                        default -> g.writeString(String.valueOf(v));
                    }
                }
                g.writeEndObject();
            }
            out.println(w);
            rows++;
        }
        return false;
    }
}
