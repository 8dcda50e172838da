package org.fathom.security;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Alerts raised and ended so far, by kind, as the detector sees them (for metrics while a run
 * goes on; the detector releases the alert records themselves at the end of the run). Counts only: no address.
 * Updated when an alert opens or ends, never per packet; read from any thread.
 */
public final class AlertCounts {
    private final Map<String, LongAdder> raised = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> ended = new ConcurrentHashMap<>();

    void raised(String kind) {
        raised.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void ended(String kind) {
        ended.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** Alerts raised so far, by kind. */
    public Map<String, Long> raised() {
        return snapshot(raised);
    }

    /** Alerts open now (raised and not ended), by kind; kinds with none are left out. */
    public Map<String, Long> active() {
        Map<String, Long> r = snapshot(raised);
        Map<String, Long> e = snapshot(ended);
        Map<String, Long> out = new TreeMap<>();
        r.forEach((k, v) -> {
            long n = v - e.getOrDefault(k, 0L);
            if (n > 0) {
                out.put(k, n);
            }
        });
        return out;
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
