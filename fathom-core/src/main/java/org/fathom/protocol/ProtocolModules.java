package org.fathom.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.ServiceLoader;

/**
 * The protocol packages' registrations ({@link ProtocolModule}, found with {@link ServiceLoader})
 * and the probe order derived from them: by {@link ProbeClass}, then the declared
 * {@link Probe#before}/{@link Probe#after} constraints, then protocol name. Nothing else decides
 * the order, so it does not depend on the order registrations are found in.
 */
public final class ProtocolModules {
    private ProtocolModules() {}

    private static volatile List<ProtocolModule> loaded;

    /** Every registration on the class path, sorted by class name. */
    public static List<ProtocolModule> all() {
        List<ProtocolModule> l = loaded;
        if (l == null) {
            List<ProtocolModule> found = new ArrayList<>();
            for (ProtocolModule m : ServiceLoader.load(ProtocolModule.class, ProtocolModule.class.getClassLoader())) {
                found.add(m);
            }
            found.sort(Comparator.comparing(m -> m.getClass().getName()));
            loaded = l = List.copyOf(found);
        }
        return l;
    }

    /** New instances of every registered dissector, in the derived probe order. */
    public static List<Probe> probes() {
        List<Probe> l = new ArrayList<>();
        for (ProtocolModule m : all()) {
            l.addAll(m.probes());
        }
        return order(l);
    }

    /**
     * The probe order of {@code probes}: a topological order of the constraints that, whenever
     * several probes are free to go next, takes the one of the most specific class, then the
     * smallest name. Fails on a duplicate name, a constraint naming no probe, or a cycle.
     */
    public static List<Probe> order(List<Probe> probes) {
        Map<String, Probe> byName = new HashMap<>();
        for (Probe p : probes) {
            Probe old = byName.put(p.name(), p);
            if (old != null) {
                throw new IllegalStateException("protocol " + p.name() + " registered twice: " + old.dissector().getClass().getName()
                        + " and " + p.dissector().getClass().getName());
            }
        }
        Map<String, List<String>> next = new HashMap<>();
        Map<String, Integer> waits = new HashMap<>();
        for (Probe p : probes) {
            waits.putIfAbsent(p.name(), 0);
            for (String b : p.before()) {
                edge(byName, next, waits, p.name(), b, p);
            }
            for (String a : p.after()) {
                edge(byName, next, waits, a, p.name(), p);
            }
        }
        PriorityQueue<Probe> free = new PriorityQueue<>(Comparator.comparing(Probe::probeClass)
                .thenComparing(Probe::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Probe::name));
        for (Probe p : probes) {
            if (waits.get(p.name()) == 0) {
                free.add(p);
            }
        }
        List<Probe> out = new ArrayList<>(probes.size());
        while (!free.isEmpty()) {
            Probe p = free.poll();
            out.add(p);
            for (String n : next.getOrDefault(p.name(), List.of())) {
                if (waits.merge(n, -1, Integer::sum) == 0) {
                    free.add(byName.get(n));
                }
            }
        }
        if (out.size() != probes.size()) {
            List<String> stuck = new ArrayList<>();
            for (Map.Entry<String, Integer> e : waits.entrySet()) {
                if (e.getValue() > 0) {
                    stuck.add(e.getKey());
                }
            }
            stuck.sort(null);
            throw new IllegalStateException("probe order constraints form a cycle among " + stuck);
        }
        return out;
    }

    private static void edge(Map<String, Probe> byName, Map<String, List<String>> next, Map<String, Integer> waits, String first, String then,
            Probe declaredBy) {
        for (String n : new String[] {first, then}) {
            if (!byName.containsKey(n)) {
                throw new IllegalStateException(declaredBy.dissector().getClass().getName() + " (" + declaredBy.name()
                        + ") orders itself against " + n + ", which no registration declares");
            }
        }
        List<String> l = next.computeIfAbsent(first, k -> new ArrayList<>());
        if (!l.contains(then)) {
            l.add(then);
            waits.merge(then, 1, Integer::sum);
        }
    }
}
