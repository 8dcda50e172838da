package org.fathom.protocol.samples;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Probe;
import org.fathom.protocol.ProtocolModules;
import org.fathom.protocol.ProtocolRegistry;

/** Helpers for the spec-built samples of {@link Samples}: every registered dissector, in probe order. */
public final class Tail {
    private Tail() {}

    /** Every registered dissector (the registry, not a hand-kept list: a new package cannot escape these tests). */
    public static List<Dissector> dissectors() {
        return ProtocolRegistry.defaults().dissectors();
    }

    /** Every registration's probe (dissector, probe class, constraints), in probe order. */
    public static List<Probe> probes() {
        return ProtocolModules.probes();
    }

    public static Sample sample(String label) {
        return Samples.all().stream().filter(s -> s.label().equals(label)).findFirst().orElseThrow(() -> new AssertionError(label));
    }

    /** Runs the sample through the first registered dissector (in probe order) that recognises it. */
    public static Drive.Outcome run(String label) {
        Sample s = sample(label);
        for (Dissector d : dissectors()) {
            Drive.Outcome o = Drive.run(d, s.flow(), s.msgs());
            if (o.recognised()) {
                return o;
            }
        }
        throw new AssertionError("nothing recognised " + label);
    }

    public static int firstPort(Dissector d, boolean tcp) {
        int[] p = tcp ? d.descriptor().tcpPorts() : d.descriptor().udpPorts();
        return p.length > 0 ? p[0] : 40000;
    }
}
