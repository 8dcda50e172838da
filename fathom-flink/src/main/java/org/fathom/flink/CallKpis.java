package org.fathom.flink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Call KPIs of one window of one group (a probe, or "*"), as Fathom's {@code voip.CallStats}
 * defines them (docs/VOIP.md "Summary"): attempts (every call record), answered (a 2xx),
 * ASR = answered / decided attempts (all but in_progress), NER = (answered + busy + no_answer +
 * cancelled + redirected) / decided, blocked = rejected + failed, dropped, emergency calls, PDD
 * p50/p95 over calls with a PDD and MOS p5/p50 over media streams with packets (nearest rank).
 * k-suppression: a window's group with fewer than k distinct callers is not published.
 */
final class CallKpis {
    static final int CAP = 1_000_000;

    private CallKpis() {
    }

    public static class Acc {
        public long attempts;
        public long answered;
        public long emergency;
        public HashMap<String, Long> outcomes = new HashMap<>();
        public HashSet<String> callers = new HashSet<>();
        public ArrayList<Long> pdd = new ArrayList<>();
        public ArrayList<Double> mos = new ArrayList<>();
    }

    static final class Aggregate implements AggregateFunction<Event, Acc, Acc> {
        @Override
        public Acc createAccumulator() {
            return new Acc();
        }

        @Override
        public Acc add(Event e, Acc a) {
            a.attempts++;
            if (e.answered) {
                a.answered++;
            }
            if (e.emergency) {
                a.emergency++;
            }
            a.outcomes.merge(e.outcome == null ? "unknown" : e.outcome, 1L, Long::sum);
            if (e.caller != null && a.callers.size() < CAP) {
                a.callers.add(e.caller);
            }
            if (e.pddMs >= 0 && a.pdd.size() < CAP) {
                a.pdd.add(e.pddMs);
            }
            if (e.mos != null) {
                for (double m : e.mos) {
                    if (a.mos.size() < CAP) {
                        a.mos.add(m);
                    }
                }
            }
            return a;
        }

        @Override
        public Acc getResult(Acc a) {
            return a;
        }

        @Override
        public Acc merge(Acc a, Acc b) {
            a.attempts += b.attempts;
            a.answered += b.answered;
            a.emergency += b.emergency;
            b.outcomes.forEach((k, v) -> a.outcomes.merge(k, v, Long::sum));
            a.callers.addAll(b.callers);
            a.pdd.addAll(b.pdd);
            a.mos.addAll(b.mos);
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
            Map<String, Object> row = row(group, ctx.window().getStart(), ctx.window().getEnd(), accs.iterator().next(), k);
            if (row != null) {
                out.collect(new Out(topic, group + "|" + row.get("window_start"), JsonOut.write(row)));
            }
        }
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The window's row, or null when it has fewer than k distinct callers. */
    static Map<String, Object> row(String group, long start, long end, Acc a, int k) {
        if (a.callers.size() < k) {
            return null;
        }
        long decided = a.attempts - a.outcomes.getOrDefault("in_progress", 0L);
        long reached = a.answered + a.outcomes.getOrDefault("busy", 0L) + a.outcomes.getOrDefault("no_answer", 0L)
                + a.outcomes.getOrDefault("cancelled", 0L) + a.outcomes.getOrDefault("redirected", 0L);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "call_kpi");
        m.put("window_start", JsonOut.iso(start));
        m.put("window_end", JsonOut.iso(end));
        m.put("probe_id", group);
        m.put("callers", (long) a.callers.size());
        m.put("attempts", a.attempts);
        m.put("decided", decided);
        m.put("answered", a.answered);
        m.put("asr", decided == 0 ? null : round(a.answered / (double) decided));
        m.put("ner", decided == 0 ? null : round(reached / (double) decided));
        m.put("blocked", a.outcomes.getOrDefault("rejected", 0L) + a.outcomes.getOrDefault("failed", 0L));
        m.put("dropped", a.outcomes.getOrDefault("dropped", 0L));
        m.put("emergency", a.emergency);
        m.put("outcomes", new java.util.TreeMap<>(a.outcomes));
        double[] pdd = a.pdd.stream().mapToDouble(Long::doubleValue).sorted().toArray();
        m.put("pdd_p50_ms", pdd.length == 0 ? null : (long) percentile(pdd, 50));
        m.put("pdd_p95_ms", pdd.length == 0 ? null : (long) percentile(pdd, 95));
        double[] mos = a.mos.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(mos);
        m.put("mos_streams", (long) mos.length);
        m.put("mos_p5", mos.length == 0 ? null : percentile(mos, 5));
        m.put("mos_p50", mos.length == 0 ? null : percentile(mos, 50));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
