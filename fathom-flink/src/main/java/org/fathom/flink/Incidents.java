package org.fathom.flink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The alerts of one target (address and port) in one window, from every probe, merged into one
 * network-wide incident: the probes and alert kinds, the earliest start and latest end, packets
 * and bytes summed, the highest peaks, the largest source count any probe saw. k-suppression: the
 * sources are individuals, so the incident lists its top sources only when at least k distinct
 * sources were seen ({@code source_count}, or the sources listed); otherwise the list is left out
 * and {@code sources_suppressed} is true. The incident itself (a target under attack) is published.
 */
final class Incidents {
    static final int TOP = 10;

    private Incidents() {
    }

    public static class Acc {
        public String ip;
        public long port;
        public String protocol;
        public TreeSet<String> kinds = new TreeSet<>();
        public TreeSet<String> probes = new TreeSet<>();
        public long start = Long.MAX_VALUE;
        public long end = Long.MIN_VALUE;
        public long alerts;
        public long packets;
        public long bytes;
        public double peakPps;
        public double peakBps;
        public long sourceCount;
        public TreeSet<String> sources = new TreeSet<>();
    }

    static final class Aggregate implements AggregateFunction<Event, Acc, Acc> {
        @Override
        public Acc createAccumulator() {
            return new Acc();
        }

        @Override
        public Acc add(Event e, Acc a) {
            a.ip = e.targetIp;
            a.port = e.targetPort;
            if (e.targetProtocol != null) {
                a.protocol = e.targetProtocol;
            }
            a.kinds.add(e.alertKind);
            a.probes.add(e.probe);
            a.start = Math.min(a.start, e.start);
            a.end = Math.max(a.end, e.end);
            a.alerts++;
            a.packets += e.packets;
            a.bytes += e.bytes;
            a.peakPps = Math.max(a.peakPps, e.peakPps);
            a.peakBps = Math.max(a.peakBps, e.peakBps);
            a.sourceCount = Math.max(a.sourceCount, e.sourceCount);
            if (e.topSources != null) {
                for (String s : e.topSources) {
                    if (a.sources.size() < 1000) {
                        a.sources.add(s);
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
            throw new UnsupportedOperationException("tumbling windows do not merge");
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
        public void process(String target, Context ctx, Iterable<Acc> accs, Collector<Out> out) {
            Map<String, Object> row = row(ctx.window().getStart(), ctx.window().getEnd(), accs.iterator().next(), k);
            out.collect(new Out(topic, target + "|" + row.get("window_start"), JsonOut.write(row)));
        }
    }

    static Map<String, Object> row(long wStart, long wEnd, Acc a, int k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "incident");
        m.put("window_start", JsonOut.iso(wStart));
        m.put("window_end", JsonOut.iso(wEnd));
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("ip", a.ip);
        if (a.port != 0) {
            target.put("port", a.port);
        }
        if (a.protocol != null) {
            target.put("protocol", a.protocol);
        }
        m.put("target", target);
        m.put("kinds", a.kinds);
        m.put("probes", a.probes);
        m.put("probe_count", (long) a.probes.size());
        m.put("alerts", a.alerts);
        m.put("start", JsonOut.iso(a.start));
        m.put("end", JsonOut.iso(a.end));
        m.put("packets", a.packets);
        m.put("bytes", a.bytes);
        m.put("peak_pps", a.peakPps);
        m.put("peak_bps", a.peakBps);
        long sources = Math.max(a.sourceCount, a.sources.size());
        m.put("source_count", sources);
        if (sources >= k) {
            m.put("top_sources", a.sources.stream().limit(TOP).toList());
        } else {
            m.put("sources_suppressed", true);
        }
        return m;
    }
}
