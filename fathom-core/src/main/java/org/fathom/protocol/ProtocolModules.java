package org.fathom.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
     * smallest name (then TCP before UDP, then class name). A constraint names a protocol: it
     * applies to every probe of that name. Fails on a name claimed twice on one transport, a
     * constraint naming no probe, or a cycle.
     */
    public static List<Probe> order(List<Probe> probes) {
        Map<String, List<Probe>> byName = new HashMap<>();
        for (Probe p : probes) {
            List<Probe> same = byName.computeIfAbsent(p.name(), k -> new ArrayList<>());
            for (Probe old : same) {
                if ((old.dissector().descriptor().transports() & p.dissector().descriptor().transports()) != 0) {
                    throw new IllegalStateException("protocol " + p.name() + " registered twice: " + old.dissector().getClass().getName()
                            + " and " + p.dissector().getClass().getName());
                }
            }
            same.add(p);
        }
        Map<Probe, List<Probe>> next = new IdentityHashMap<>();
        Map<Probe, Integer> waits = new IdentityHashMap<>();
        for (Probe p : probes) {
            waits.putIfAbsent(p, 0);
            for (String b : p.before()) {
                for (Probe q : named(byName, b, p)) {
                    edge(next, waits, p, q);
                }
            }
            for (String a : p.after()) {
                for (Probe q : named(byName, a, p)) {
                    edge(next, waits, q, p);
                }
            }
        }
        PriorityQueue<Probe> free = new PriorityQueue<>(Comparator.comparing(Probe::probeClass)
                .thenComparing(Probe::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Probe::name)
                .thenComparingInt(p -> p.dissector().descriptor().transports())
                .thenComparing(p -> p.dissector().getClass().getName()));
        for (Probe p : probes) {
            if (waits.get(p) == 0) {
                free.add(p);
            }
        }
        List<Probe> out = new ArrayList<>(probes.size());
        while (!free.isEmpty()) {
            Probe p = free.poll();
            out.add(p);
            for (Probe n : next.getOrDefault(p, List.of())) {
                if (waits.merge(n, -1, Integer::sum) == 0) {
                    free.add(n);
                }
            }
        }
        if (out.size() != probes.size()) {
            List<String> stuck = new ArrayList<>();
            for (Map.Entry<Probe, Integer> e : waits.entrySet()) {
                if (e.getValue() > 0) {
                    stuck.add(e.getKey().name());
                }
            }
            stuck.sort(null);
            throw new IllegalStateException("probe order constraints form a cycle among " + stuck);
        }
        return out;
    }

    private static List<Probe> named(Map<String, List<Probe>> byName, String name, Probe declaredBy) {
        List<Probe> l = byName.get(name);
        if (l == null) {
            throw new IllegalStateException(declaredBy.dissector().getClass().getName() + " (" + declaredBy.name()
                    + ") orders itself against " + name + ", which no registration declares");
        }
        return l;
    }

    private static void edge(Map<Probe, List<Probe>> next, Map<Probe, Integer> waits, Probe first, Probe then) {
        List<Probe> l = next.computeIfAbsent(first, k -> new ArrayList<>());
        if (!l.contains(then)) {
            l.add(then);
            waits.merge(then, 1, Integer::sum);
        }
    }
}
