package org.fathom.protocol.wirekit;

import java.util.List;
import java.util.Set;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.ProtocolRegistry;

/** The dissectors of the "industrial, messaging, games and the long tail" section, in probe order. */
public final class Tail {
    private Tail() {}

    private static final Set<String> PACKAGES = Set.of("industrial", "messaging", "chat", "netops", "telephony", "gaming", "peer");

    public static List<Dissector> dissectors() {
        return ProtocolRegistry.defaults().dissectors().stream()
                .filter(d -> PACKAGES.contains(d.getClass().getPackageName().substring("org.fathom.protocol.".length())))
                .toList();
    }

    public static Sample sample(String label) {
        return Samples.all().stream().filter(s -> s.label().equals(label)).findFirst().orElseThrow(() -> new AssertionError(label));
    }

    /** Runs the sample through the one dissector of the section that recognises it. */
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
