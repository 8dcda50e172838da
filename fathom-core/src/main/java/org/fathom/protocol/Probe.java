package org.fathom.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One dissector as a protocol package registers it: the dissector (its {@link Descriptor} names
 * it), how specific it is ({@link ProbeClass}) and, where two protocols' recognitions really
 * overlap, which must be asked first. {@link ProtocolRegistry} derives the probe order from these
 * alone: class, then constraints, then name.
 *
 * @param dissector the shared, stateless dissector
 * @param probeClass its place in the probe order
 * @param before protocol names (descriptor names) this one must be asked before
 * @param after protocol names this one must be asked after
 * @param portLenient whether it accepts weaker evidence on its own well-known ports (as DNS does on
 *                    53): the exclusivity tests then let it take other protocols' samples there
 */
public record Probe(Dissector dissector, ProbeClass probeClass, List<String> before, List<String> after, boolean portLenient) {
    public Probe {
        Objects.requireNonNull(dissector, "dissector");
        Objects.requireNonNull(probeClass, "probeClass");
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    public static Probe of(Dissector d, ProbeClass c) {
        return new Probe(d, c, List.of(), List.of(), c == ProbeClass.LOOSE);
    }

    /** This dissector is asked before the named protocols (they would take its traffic, or it precedes their bytes). */
    public Probe before(String... names) {
        return new Probe(dissector, probeClass, concat(before, names), after, portLenient);
    }

    /** This dissector is asked after the named protocols. */
    public Probe after(String... names) {
        return new Probe(dissector, probeClass, before, concat(after, names), portLenient);
    }

    /**
     * Declares that on its own well-known ports this dissector accepts with weaker evidence than
     * elsewhere (the port is part of the evidence). Implied by {@link ProbeClass#LOOSE}.
     */
    public Probe lenientOnItsPort() {
        return new Probe(dissector, probeClass, before, after, true);
    }

    /** The protocol name, from the descriptor. */
    public String name() {
        return dissector.descriptor().name();
    }

    /** Whether an ordering constraint links this probe and {@code other} (they are declared related). */
    public boolean relatedTo(Probe other) {
        return before.contains(other.name()) || after.contains(other.name())
                || other.before.contains(name()) || other.after.contains(name());
    }

    private static List<String> concat(List<String> a, String[] b) {
        String[] all = a.toArray(new String[a.size() + b.length]);
        System.arraycopy(b, 0, all, a.size(), b.length);
        return Arrays.asList(all);
    }
}
