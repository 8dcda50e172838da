package org.fathom.flink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Traffic per application and category in one window of one group (a probe, or "*" for the whole
 * network), with the privacy guard's k-suppression: a group with fewer than k distinct clients is
 * not published; the suppressed groups of a window are summed into one "(suppressed)" row, itself
 * published only if it reaches k clients; the "*" row is the sum of the published rows, so that
 * no suppressed group can be found by subtraction (as {@code privacy.Aggregator} does).
 */
final class Traffic {
    static final String SUPPRESSED = "(suppressed)";
    /** Distinct clients kept per group at most; a count at the cap is a lower bound. */
    static final int CLIENT_CAP = 100_000;

    private Traffic() {
    }

    /** Counters of one application/category group. */
    public static class Group {
        public long flows;
        public long packets;
        public long bytesC2s;
        public long bytesS2c;
        public HashSet<String> clients = new HashSet<>();

        void add(Group o) {
            flows += o.flows;
            packets += o.packets;
            bytesC2s += o.bytesC2s;
            bytesS2c += o.bytesS2c;
            for (String c : o.clients) {
                if (clients.size() >= CLIENT_CAP) {
                    break;
                }
                clients.add(c);
            }
        }
    }

    /** The window's groups, by application and category. */
    public static class Acc {
        public HashMap<String, Group> groups = new HashMap<>();
    }

    static final class Aggregate implements AggregateFunction<Event, Acc, Acc> {
        @Override
        public Acc createAccumulator() {
            return new Acc();
        }

        @Override
        public Acc add(Event e, Acc acc) {
            Group g = acc.groups.computeIfAbsent(e.application + "\u0000" + e.category, k -> new Group());
            if (!e.interim) {
                g.flows++;
            }
            g.packets += e.packets;
            g.bytesC2s += e.bytesC2s;
            g.bytesS2c += e.bytesS2c;
            if (e.client != null && g.clients.size() < CLIENT_CAP) {
                g.clients.add(e.client);
            }
            return acc;
        }

        @Override
        public Acc getResult(Acc acc) {
            return acc;
        }

        @Override
        public Acc merge(Acc a, Acc b) {
            for (Map.Entry<String, Group> e : b.groups.entrySet()) {
                a.groups.computeIfAbsent(e.getKey(), k -> new Group()).add(e.getValue());
            }
            return a;
        }
    }

    static final class Publish extends ProcessWindowFunction<Acc, Out, String, TimeWindow> {
        private final String topic;
        private final int k;

        Publish(String topic, int k) {
            this.topic = topic;
            this.k = k;
        }

        @Override
        public void process(String group, Context ctx, Iterable<Acc> accs, Collector<Out> out) {
            Acc acc = accs.iterator().next();
            for (Map<String, Object> row : rows(group, ctx.window().getStart(), ctx.window().getEnd(), acc, k)) {
                out.collect(new Out(topic, group + "|" + row.get("window_start") + "|" + row.get("application") + "|" + row.get("category"),
                        JsonOut.write(row)));
            }
        }
    }

    /** The published rows of one window of one group, sorted by application and category. */
    static List<Map<String, Object>> rows(String group, long start, long end, Acc acc, int k) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Group rest = new Group();
        Group total = new Group();
        for (Map.Entry<String, Group> e : new TreeMap<>(acc.groups).entrySet()) {
            String[] ac = e.getKey().split("\u0000", 2);
            Group g = e.getValue();
            if (g.clients.size() >= k) {
                rows.add(row(group, start, end, ac[0], ac[1], g));
                total.add(g);
            } else {
                rest.add(g);
            }
        }
        if (!rest.clients.isEmpty() && rest.clients.size() >= k) {
            rows.add(row(group, start, end, SUPPRESSED, SUPPRESSED, rest));
            total.add(rest);
        }
        if (!rows.isEmpty()) {
            rows.add(row(group, start, end, "*", "*", total));
        }
        return rows;
    }

    private static Map<String, Object> row(String group, long start, long end, String application, String category, Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "traffic");
        m.put("window_start", JsonOut.iso(start));
        m.put("window_end", JsonOut.iso(end));
        m.put("probe_id", group);
        m.put("application", application);
        m.put("category", category);
        m.put("clients", (long) g.clients.size());
        m.put("flows", g.flows);
        m.put("packets", g.packets);
        m.put("bytes_c2s", g.bytesC2s);
        m.put("bytes_s2c", g.bytesS2c);
        return m;
    }
}
